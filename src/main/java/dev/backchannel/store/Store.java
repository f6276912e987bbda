package dev.backchannel.store;

import io.vertx.core.Future;

/** The storage engine: a single writer for every change, parallel readers for queries. */
public interface Store {
  /** Runs the work in the next write transaction; completes after COMMIT, on the caller's context. */
  <T> Future<T> write(WriteWork<T> work);

  /**
   * How many write transactions have committed so far. It moves before a committed write is
   * acknowledged or published, so a read that began while it stood at {@code n} is still current
   * while it stands at {@code n} (what read caches rely on).
   */
  long commits();

  /** Round trip to the database through the read path; completes with the latency in ms. */
  Future<Double> ping();

  /** Completes when the writer has committed everything queued before the call. */
  Future<Void> flush();

  boolean writerAlive();

  int writeQueueDepth();

  Future<Void> close();
}
