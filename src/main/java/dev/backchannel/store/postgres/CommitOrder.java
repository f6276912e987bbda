package dev.backchannel.store.postgres;

import dev.backchannel.store.Committed;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Merges this node's commits and the other nodes' (read from the commit log) into one feed in
 * commit order, the order of their sequence numbers, so a stream never sends seq 10 before seq 9
 * and then drops 9 as old.
 *
 * <p>Every write transaction on the database holds the counters lock from its first statement to
 * COMMIT, so the seq ranges of transactions never interleave, and the counter value a transaction
 * found when it took the lock (its <em>floor</em>) says that every smaller seq is committed. When
 * this node commits and everything up to its floor was already handed on, the commit goes on at
 * once: on a node that writes alone, that is every commit. Otherwise another node committed in
 * between, and this commit waits for the commit log reader to hand on what came before it.
 *
 * <p>Thread-safe: the writer thread and the log reader call in.
 */
final class CommitOrder {
  private static final Logger LOG = Logger.getLogger(CommitOrder.class.getName());
  private final String node;
  private final Consumer<List<Committed>> others;
  private final Consumer<List<Committed>> ordered;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private long delivered;
  private long remoteBatches;

  /** One commit log row: the seq range (floor, last] of one transaction and what it committed. */
  record Entry(long floor, long last, String node, String events) {}

  private record Held(long floor, long last, List<Committed> events) {}

  /**
   * @param node this node's name in the commit log
   * @param others receives the other nodes' commits first (caches drop what they changed)
   * @param ordered receives every node's commits, in commit order (streams, long-poll waiters)
   * @param delivered the last seq committed before this node started; live delivery begins after it
   */
  CommitOrder(String node, Consumer<List<Committed>> others, Consumer<List<Committed>> ordered, long delivered) {
    this.node = node;
    this.others = others;
    this.ordered = ordered;
    this.delivered = delivered;
  }

  /**
   * This node committed the seqs (floor, last]. Returns whether the commit waits for the log
   * reader; a transaction that allocated no seq has nothing to order.
   */
  synchronized boolean committedHere(long floor, long last, List<Committed> events) {
    if (last <= floor || last <= delivered) {
      return false;
    }
    if (floor <= delivered && held.isEmpty()) {
      handOn(last, events);
      return false;
    }
    held.add(new Held(floor, last, events));
    return true;
  }

  /** Commit log rows with {@code last > } {@link #delivered()}, in seq order, as the reader found them. */
  synchronized void read(List<Entry> entries) {
    for (Entry entry : entries) {
      if (entry.last() <= delivered) {
        continue;
      }
      if (entry.floor() > delivered) {
        // consecutive rows chain floor to last: rows were purged before this node read them
        LOG.warning("the commit log no longer holds seqs " + (delivered + 1) + " to " + entry.floor()
            + "; ending this node's live streams so their clients resume from the tables");
        ordered.accept(List.of(new Committed(Committed.Kind.LIVE_GAP, null, entry.floor(), null)));
      }
      if (entry.node().equals(node)) {
        Held own = held.peek();
        if (own != null && own.last() == entry.last()) {
          held.poll();
          handOn(own.last(), own.events());
        } else {
          // committed here, but the writer has not told us yet: it will find it handed on
          handOn(entry.last(), decode(entry));
        }
      } else {
        List<Committed> events = decode(entry);
        remoteBatches++;
        if (!events.isEmpty()) {
          others.accept(events);
        }
        handOn(entry.last(), events);
      }
    }
    while (!held.isEmpty() && held.peek().last() <= delivered) {
      held.poll();
    }
    while (!held.isEmpty() && held.peek().floor() <= delivered) {
      Held own = held.poll();
      handOn(own.last(), own.events());
    }
  }

  /** An unreadable row is passed over like a hole in the log: its events never reach the streams. */
  private List<Committed> decode(Entry entry) {
    try {
      return CommitLogCodec.decode(entry.events());
    } catch (IllegalArgumentException e) {
      LOG.severe("commit log row " + entry.last() + " is unreadable (" + e.getMessage()
          + "); ending this node's live streams so their clients resume from the tables");
      ordered.accept(List.of(new Committed(Committed.Kind.LIVE_GAP, null, entry.last(), null)));
      return List.of();
    }
  }

  private void handOn(long last, List<Committed> events) {
    delivered = last;
    if (!events.isEmpty()) {
      ordered.accept(events);
    }
  }

  /** Every seq up to this one has been handed on (or belongs to no event). */
  synchronized long delivered() {
    return delivered;
  }

  /** Whether a commit of this node waits for the log reader. */
  synchronized boolean waiting() {
    return !held.isEmpty();
  }

  /** Batches of other nodes handed on so far. */
  synchronized long remoteBatches() {
    return remoteBatches;
  }
}
