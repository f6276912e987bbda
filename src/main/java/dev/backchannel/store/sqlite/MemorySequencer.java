package dev.backchannel.store.sqlite;

import dev.backchannel.store.Sequencer;
import dev.backchannel.time.Timestamps;
import java.time.Instant;

/**
 * The single writer's sequencer: counters in the writer's memory, seeded from the database at
 * start and saved in every transaction. Commit order is allocation order because one thread
 * writes; numbers taken by a unit of work that rolled back are skipped, never reused.
 */
final class MemorySequencer implements Sequencer {
  private long lastSeq;
  private long lastCreatedAt;

  MemorySequencer(long lastSeq, long lastCreatedAt) {
    this.lastSeq = lastSeq;
    this.lastCreatedAt = lastCreatedAt;
  }

  @Override
  public long nextSeq() {
    return ++lastSeq;
  }

  @Override
  public Instant nextCreatedAt(Instant now) {
    long candidate = Math.max(Timestamps.micros(now), lastCreatedAt + 1);
    lastCreatedAt = candidate;
    return Timestamps.instant(candidate);
  }

  long lastSeq() {
    return lastSeq;
  }

  long lastCreatedAt() {
    return lastCreatedAt;
  }
}
