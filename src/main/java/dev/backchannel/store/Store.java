package dev.backchannel.store;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * The storage port's write path. Every change is one {@link WriteWork} run by {@link #write} in
 * one transaction; queries go through the table stores ({@code KeyStore}, {@code MessageStore},
 * ...), which {@code Database} gathers. Services see only these interfaces, whichever database is
 * behind them.
 */
public interface Store {
  /** Runs the work in a write transaction; completes after COMMIT, on the caller's context. */
  <T> Future<T> write(WriteWork<T> work);

  /**
   * A version of everything committed so far, as read caches use it: it moves before a committed
   * write is acknowledged or published, so a read that began while it stood at {@code n} is still
   * current while it stands at {@code n}. A store shared by several processes moves it on their
   * commits too, as soon as it learns of them.
   */
  long commits();

  /** Round trip to the database through the read path; completes with the latency in ms. */
  Future<Double> ping();

  /** Completes once a write submitted now has committed (readiness). */
  Future<Void> flush();

  /** How much space the database takes, in bytes (the sandbox's size limit). */
  Future<Long> sizeBytes();

  /** The health of the store's single writer, for stores that have one. */
  default Optional<SingleWriter> singleWriter() {
    return Optional.empty();
  }

  Future<Void> close();
}
