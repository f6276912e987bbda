package dev.backchannel.store;

/**
 * Work attached to a caller's next write ({@link Store#attachToNextWrite}): it runs on the
 * writer's thread in that write's transaction, right after the write's own work succeeded, and
 * commits or rolls back with it. Throwing fails the write.
 */
@FunctionalInterface
public interface WriteHook {
  void run(Tx tx);
}
