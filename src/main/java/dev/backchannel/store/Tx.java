package dev.backchannel.store;

import java.time.Instant;

/**
 * The transaction a {@link WriteWork} runs in. Store methods that take a {@code Tx} run
 * synchronously inside it; everything they do commits or rolls back together.
 */
public interface Tx {
  /** The time of this unit of work, from the injected clock, at microsecond precision. */
  Instant now();

  /** The next value of the global sequence, from the store's {@link Sequencer}. */
  long nextSeq();

  /** The next message timestamp, from the store's {@link Sequencer} at {@link #now()}. */
  Instant nextCreatedAt();

  /** Queues an event to be published after this transaction commits (never if it rolls back). */
  void emit(Committed event);

  /**
   * Runs {@code action} on the writer thread once this unit of work is committed; never if it
   * rolls back. For side effects that must not count work that did not happen, such as metrics.
   */
  void afterCommit(Runnable action);
}
