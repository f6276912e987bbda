package dev.backchannel.store;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where a store hands what was committed.
 *
 * @param changes every commit this process must know of to keep its caches true: its own at once,
 *     before the writes are answered, and other processes' as they learn of them
 * @param live every commit of the database, in commit order, for streams and long-poll waiters
 */
public record CommitSinks(Consumer<List<Committed>> changes, Consumer<List<Committed>> live) {
  public static final CommitSinks NONE = new CommitSinks(batch -> { }, batch -> { });

  /** For a database only this process writes: its own commits are all there is, already in order. */
  public Consumer<List<Committed>> both() {
    return batch -> {
      changes.accept(batch);
      live.accept(batch);
    };
  }
}
