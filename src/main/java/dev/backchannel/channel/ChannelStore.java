package dev.backchannel.channel;

import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage of channels, their aliases and links. Lookups fill {@link Channel#member()} for the
 * given key. Methods taking a {@link Tx} run inside the writer's transaction.
 */
public interface ChannelStore {
  /** Contract §2.5: id, then global alias, then the newest channel of that name owned by ownerId. */
  Future<Optional<Channel>> resolve(String identifier, String ownerId, String keyId);

  Future<Optional<Channel>> findByIdOrAlias(String ref, String keyId);

  /** As {@link #resolve(String, String, String)}, inside a write. */
  Optional<Channel> resolve(Tx tx, String identifier, String ownerId, String keyId);

  Optional<Channel> find(Tx tx, String id, String keyId);

  Optional<Channel> findByIdOrAlias(Tx tx, String ref, String keyId);

  /** Discoverable channels created strictly before {@code before} (null: from the newest), newest first. */
  Future<List<DiscoveryItem>> discover(String keyId, Instant before, int limit);

  Future<ChannelStats> stats(String channelId, Instant now);

  /** Counts over the channels the key created, expired-but-unpurged messages included. */
  Future<Usage> usage(String keyId, Instant now);

  void insert(Tx tx, Channel channel);

  void update(Tx tx, Channel channel);

  void delete(Tx tx, String id);

  boolean aliasTaken(Tx tx, String alias);

  void addAlias(Tx tx, String channelId, String alias);

  void replaceLinks(Tx tx, String channelId, List<String> relatedIds);
}
