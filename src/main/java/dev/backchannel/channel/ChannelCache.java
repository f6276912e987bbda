package dev.backchannel.channel;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Channel lookups as a caller last saw them, so that reads skip the database for the channel.
 * An entry is the channel resolved from one path segment for one key (membership is part of it).
 * Any committed change to channels, aliases, links or members clears everything: such changes
 * are rare next to the reads, and a cleared cache is never wrong. A lookup that was running when
 * the cache was cleared is not stored, since it may have read the state from before the change.
 */
final class ChannelCache {
  private static final int MAX_ENTRIES = 100_000;

  private final Map<Key, Channel> entries = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();

  /** How a channel was looked up: by path segment (id, alias, name) or by id or alias only. */
  enum By { PATH, ID_OR_ALIAS }

  record Key(By by, String ref, String ownerId, String keyId) {}

  Future<Optional<Channel>> get(Key key, Supplier<Future<Optional<Channel>>> load) {
    Channel hit = entries.get(key);
    if (hit != null) {
      return Future.succeededFuture(Optional.of(hit));
    }
    long seen = generation.get();
    return load.get().onSuccess(found -> found.ifPresent(channel -> store(key, channel, seen)));
  }

  private void store(Key key, Channel channel, long seen) {
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(key, channel);
    // Cleared meanwhile: the lookup may predate the change, so it must not stay.
    if (generation.get() != seen) {
      entries.remove(key, channel);
    }
  }

  void clear() {
    generation.incrementAndGet();
    entries.clear();
  }

  int size() {
    return entries.size();
  }
}
