package dev.backchannel.store;

import io.vertx.core.Future;

/** The storage engine: a single writer for every change, parallel readers for queries. */
public interface Store {
  /** Runs the work in the next write transaction; completes after COMMIT, on the caller's context. */
  <T> Future<T> write(WriteWork<T> work);

  /**
   * Attaches {@code hook} to the next write submitted from the current Vert.x context (one
   * request's), so that it commits together with that write or not at all. Returns a handle that
   * detaches the hook if no write took it; calling it after a write took it does nothing.
   */
  Runnable attachToNextWrite(WriteHook hook);

  /** Round trip to the database through the read path; completes with the latency in ms. */
  Future<Double> ping();

  /** Completes when the writer has committed everything queued before the call. */
  Future<Void> flush();

  boolean writerAlive();

  int writeQueueDepth();

  Future<Void> close();
}
