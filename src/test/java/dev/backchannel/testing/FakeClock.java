package dev.backchannel.testing;

import dev.backchannel.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when a test moves it; also the server's monotonic {@link Ticker}, which
 * moves forward with it (never back).
 */
public final class FakeClock extends Clock implements Ticker {
  private final AtomicReference<Instant> now;
  private final AtomicLong nanos = new AtomicLong();

  public FakeClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  public FakeClock() {
    this(Instant.parse("2026-04-06T14:00:00Z"));
  }

  public void advance(Duration duration) {
    now.updateAndGet(t -> t.plus(duration));
    if (!duration.isNegative()) {
      nanos.addAndGet(duration.toNanos());
    }
  }

  public void set(Instant instant) {
    Instant before = now.getAndSet(instant);
    if (instant.isAfter(before)) {
      nanos.addAndGet(Duration.between(before, instant).toNanos());
    }
  }

  @Override
  public long nanos() {
    return nanos.get();
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
