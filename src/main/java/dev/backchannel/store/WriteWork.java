package dev.backchannel.store;

/**
 * A unit of work run by the single Writer inside a transaction. It runs on the Writer's thread,
 * may block, and must not touch the event loop. Throwing rolls back this work only.
 */
@FunctionalInterface
public interface WriteWork<T> {
  T run(Tx tx) throws Exception;
}
