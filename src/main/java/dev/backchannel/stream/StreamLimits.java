package dev.backchannel.stream;

import dev.backchannel.error.ApiError;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Caps open streams per key and in total, across every event loop (extensions §2). */
public final class StreamLimits {
  private final int perKey;
  private final int total;
  private final Map<String, Integer> byKey = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();

  public StreamLimits(int perKey, int total) {
    this.perKey = perKey;
    this.total = total;
  }

  /** Reserves a stream for the key, or throws 429 / 503 before the stream starts. */
  public void acquire(String keyId) {
    if (open.incrementAndGet() > total) {
      open.decrementAndGet();
      throw ApiError.STREAMS_AT_CAPACITY.exception().with("retry_after", 5);
    }
    if (byKey.merge(keyId, 1, Integer::sum) > perKey) {
      release(keyId);
      throw ApiError.TOO_MANY_STREAMS.exception("This key already has " + perKey + " open streams")
          .with("retry_after", 5);
    }
  }

  public void release(String keyId) {
    open.decrementAndGet();
    byKey.computeIfPresent(keyId, (k, count) -> count <= 1 ? null : count - 1);
  }

  public int open() {
    return open.get();
  }
}
