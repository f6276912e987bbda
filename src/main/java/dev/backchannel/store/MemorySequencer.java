package dev.backchannel.store;

import dev.backchannel.time.Timestamps;
import java.time.Instant;

/**
 * A writer's sequencer: counters in the writer's memory, seeded from the database's
 * {@code counters} row and saved in every transaction. Allocation order is commit order while
 * one writer at a time holds the counters: on SQLite its single thread, on PostgreSQL the row
 * lock a transaction takes on {@code counters} until it commits. Numbers taken by a unit of work
 * that rolled back are skipped, never reused.
 */
public final class MemorySequencer implements Sequencer {
  private long lastSeq;
  private long lastCreatedAt;

  public MemorySequencer(long lastSeq, long lastCreatedAt) {
    this.lastSeq = lastSeq;
    this.lastCreatedAt = lastCreatedAt;
  }

  /** Continues from what another writer committed (a database shared by several processes). */
  public void continueFrom(long lastSeq, long lastCreatedAt) {
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

  public long lastSeq() {
    return lastSeq;
  }

  public long lastCreatedAt() {
    return lastCreatedAt;
  }
}
