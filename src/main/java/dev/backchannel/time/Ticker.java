package dev.backchannel.time;

/** A monotonic nanosecond source for timeouts and cache lifetimes; tests substitute one they move. */
@FunctionalInterface
public interface Ticker {
  Ticker SYSTEM = System::nanoTime;

  long nanos();
}
