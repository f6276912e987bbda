package dev.backchannel.message;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Pages of live messages, reused until anything commits. A page is a function of the committed
 * messages and of the time (only through {@code expires_at > now}); so a page read while the
 * store's commit count was {@code n} is the answer for as long as the count is still {@code n}
 * and none of its messages has expired. Pollers asking for the same page between two commits
 * are then answered without a query. Pollers asking while that query runs (a commit wakes every
 * long-poll waiter of the channel at once) share it instead of each running their own: one query
 * per event loop, each loop's waiters answered on their own loop.
 */
final class PageCache {
  private static final int MAX_ENTRIES = 1_024;

  private final LongSupplier commits;
  private final Map<Key, Entry> pages = new ConcurrentHashMap<>();
  private final Map<Flight, Future<List<Message>>> reading = new ConcurrentHashMap<>();

  /** The query without its time. */
  private record Key(String channelId, Cursor after, int limit, ClaimFilter status, Instant expiringBefore,
      long unreadAfter) {}

  private record Entry(long commits, List<Message> page, Instant firstExpiry) {}

  /** A query being read at this commit count, for callers on this context. */
  private record Flight(Key key, long commits, Context context) {}

  PageCache(LongSupplier commits) {
    this.commits = commits;
  }

  Future<List<Message>> get(MessageQuery q, Supplier<Future<List<Message>>> read) {
    Key key = new Key(q.channelId(), q.after(), q.limit(), q.status(), q.expiringBefore(), q.unreadAfter());
    long seen = commits.getAsLong();
    Entry entry = pages.get(key);
    if (entry != null && entry.commits == seen && q.now().isBefore(entry.firstExpiry)) {
      return Future.succeededFuture(entry.page);
    }
    Flight flight = new Flight(key, seen, Vertx.currentContext());
    Future<List<Message>> running = reading.get(flight);
    if (running != null) {
      return running;
    }
    Future<List<Message>> page = read.get().onSuccess(result -> {
      if (pages.size() >= MAX_ENTRIES) {
        pages.clear();
      }
      pages.put(key, new Entry(seen, result, firstExpiry(result)));
    });
    if (!page.isComplete()) {
      reading.put(flight, page);
      page.onComplete(done -> reading.remove(flight, page));
    }
    return page;
  }

  private static Instant firstExpiry(List<Message> page) {
    Instant first = Instant.MAX;
    for (Message message : page) {
      if (message.expiresAt().isBefore(first)) {
        first = message.expiresAt();
      }
    }
    return first;
  }
}
