package dev.backchannel.store.jdbc;

import dev.backchannel.channel.Channel;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Channel lookups made on the writer's connection, kept across units of work because nearly
 * every write starts by reading its channel. Only the writer changes the channel tables, and it
 * forgets everything here as soon as it writes one of them (before the change commits) and when
 * a unit of work or a transaction rolls back, so a lookup never outlives the rows it came from.
 * Writer thread only; one store of several writers (PostgreSQL) cannot keep this.
 */
final class WriterChannelRows {
  private static final int MAX_ENTRIES = 10_000;

  private final Map<Key, Optional<Channel>> rows = new HashMap<>();

  private record Key(String by, String ref, String ownerId, String keyId) {}

  Optional<Channel> get(String by, String ref, String ownerId, String keyId, Supplier<Optional<Channel>> load) {
    Key key = new Key(by, ref, ownerId, keyId);
    Optional<Channel> found = rows.get(key);
    if (found == null) {
      found = load.get();
      if (rows.size() >= MAX_ENTRIES) {
        rows.clear();
      }
      rows.put(key, found);
    }
    return found;
  }

  void forget() {
    rows.clear();
  }
}
