package dev.backchannel.store;

/** A store whose writes all go through one writer thread and its queue (readiness and metrics). */
public interface SingleWriter {
  boolean alive();

  /** Units of work queued and not yet taken into a transaction. */
  int queueDepth();
}
