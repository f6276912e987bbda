package dev.backchannel.message;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The earliest time a delayed message becomes due, kept in memory so a frequent timer can tell
 * cheaply whether the janitor has anything to release. Erring early is harmless (an empty pass).
 */
public final class DueWatch {
  private final AtomicReference<Instant> earliest = new AtomicReference<>();

  /** Notes that a message becomes due at {@code at}. */
  public void offer(Instant at) {
    earliest.accumulateAndGet(at, (current, offered) ->
        current == null || offered.isBefore(current) ? offered : current);
  }

  /** Replaces the hint with the store's earliest due time (null when nothing is delayed). */
  public void reset(Instant at) {
    earliest.set(at);
  }

  public boolean isDueAt(Instant now) {
    Instant at = earliest.get();
    return at != null && !at.isAfter(now);
  }
}
