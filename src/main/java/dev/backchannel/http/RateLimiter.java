package dev.backchannel.http;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sliding-window limiter: at most {@code limit} accepted calls per bucket within any
 * {@code windowSeconds}. Rejected calls are not counted (contract §5.10). A limit of 0 disables it.
 */
public final class RateLimiter {
  private static final int EVICT_ABOVE = 10_000;

  private final String name;
  private final int limit;
  private final long windowMillis;
  private final Clock clock;
  private final Map<String, ArrayDeque<Long>> buckets = new ConcurrentHashMap<>();

  public RateLimiter(String name, int limit, int windowSeconds, Clock clock) {
    this.name = name;
    this.limit = limit;
    this.windowMillis = windowSeconds * 1000L;
    this.clock = clock;
  }

  /**
   * The outcome of one call.
   *
   * @param remaining calls left in the window after this one
   * @param retryAfterSeconds when refused, seconds until a call would be accepted; else until the window resets
   */
  public record Decision(boolean allowed, int limit, int remaining, long retryAfterSeconds, String limiter) {}

  public String name() {
    return name;
  }

  public int limit() {
    return limit;
  }

  public long windowSeconds() {
    return windowMillis / 1000;
  }

  public boolean enabled() {
    return limit > 0;
  }

  public Decision acquire(String bucket) {
    if (!enabled()) {
      return new Decision(true, 0, Integer.MAX_VALUE, 0, name);
    }
    long now = clock.millis();
    Decision[] decision = new Decision[1];
    buckets.compute(bucket, (key, calls) -> {
      ArrayDeque<Long> window = calls == null ? new ArrayDeque<>() : calls;
      while (!window.isEmpty() && window.peekFirst() <= now - windowMillis) {
        window.pollFirst();
      }
      boolean allowed = window.size() < limit;
      if (allowed) {
        window.addLast(now);
      }
      long oldest = window.isEmpty() ? now : window.peekFirst();
      long untilFree = Math.max(1, (oldest + windowMillis - now + 999) / 1000);
      decision[0] = new Decision(allowed, limit, limit - window.size(), untilFree, name);
      return window;
    });
    if (buckets.size() > EVICT_ABOVE) {
      evictIdle(now);
    }
    return decision[0];
  }

  private void evictIdle(long now) {
    for (String key : buckets.keySet()) {
      buckets.computeIfPresent(key, (k, window) -> {
        Long newest = window.peekLast();
        return newest == null || newest <= now - windowMillis ? null : window;
      });
    }
  }
}
