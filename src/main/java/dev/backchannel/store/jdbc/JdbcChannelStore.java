package dev.backchannel.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.channel.Access;
import dev.backchannel.channel.Channel;
import dev.backchannel.channel.ChannelMode;
import dev.backchannel.channel.ChannelRef;
import dev.backchannel.channel.ChannelStats;
import dev.backchannel.channel.ChannelStore;
import dev.backchannel.channel.DiscoveryItem;
import dev.backchannel.channel.QueuePolicy;
import dev.backchannel.channel.Usage;
import dev.backchannel.store.Columns;
import dev.backchannel.store.Tx;
import dev.backchannel.time.Timestamps;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

final class JdbcChannelStore implements ChannelStore {
  // The first parameter of every lookup is the key whose membership fills `is_member`.
  private static final String COLUMNS = """
      SELECT c.*,
        (SELECT %s FROM channel_aliases WHERE channel_id = c.id) AS aliases_json,
        (SELECT %s
           FROM channel_links l JOIN channels r ON r.id = l.related_channel_id
          WHERE l.channel_id = c.id) AS related_json,
        CASE WHEN EXISTS (SELECT 1 FROM channel_members m WHERE m.channel_id = c.id AND m.key_id = ?)
          THEN 1 ELSE 0 END AS is_member
      FROM channels c""";
  private static final String BY_ID = " WHERE c.id = ?";
  private static final String BY_ID_OR_ALIAS = " " + """
       WHERE c.id = (SELECT id FROM channels WHERE id = ?
                     UNION ALL SELECT channel_id FROM channel_aliases WHERE alias = ? LIMIT 1)""";
  private static final String RESOLVE = " " + """
       WHERE c.id = (SELECT id FROM (
                       SELECT 1 AS rank, id, 0 AS created FROM channels WHERE id = ?
                       UNION ALL SELECT 2, channel_id, 0 FROM channel_aliases WHERE alias = ?
                       UNION ALL SELECT 3, id, created_at FROM channels WHERE owner_id = ? AND name = ?) candidates
                     ORDER BY rank, created DESC LIMIT 1)""";
  private static final String DISCOVER = """
      SELECT c.id, c.name, c.mode, c.access, c.description, c.created_at,
        CASE WHEN c.created_by_key_id = ? OR EXISTS (SELECT 1 FROM channel_members m
                                                     WHERE m.channel_id = c.id AND m.key_id = ?)
          THEN 1 ELSE 0 END AS is_member
      FROM channels c
      WHERE c.discoverable = 1 AND c.created_at < ?
      ORDER BY c.created_at DESC LIMIT ?""";
  private static final String STATS = """
      SELECT COUNT(*) AS total,
        COALESCE(SUM(CASE WHEN claimed_by_id IS NULL THEN 1 ELSE 0 END), 0) AS unclaimed,
        COALESCE(SUM(CASE WHEN claimed_by_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS claimed,
        COALESCE(SUM(CASE WHEN ack_count > 0 THEN 1 ELSE 0 END), 0) AS acknowledged
      FROM messages WHERE channel_id = ?""";
  private static final String CLAIM_TO_ACK = """
      SELECT CAST(AVG(a.first_ack - c.claimed) / 1000 AS INTEGER) AS n FROM
        (SELECT message_id, MIN(occurred_at) AS claimed FROM message_events
          WHERE channel_id = ? AND event_type = 'claim' GROUP BY message_id) c
        JOIN (SELECT message_id, MIN(occurred_at) AS first_ack FROM message_events
          WHERE channel_id = ? AND event_type = 'ack' GROUP BY message_id) a
        ON a.message_id = c.message_id AND a.first_ack >= c.claimed""";
  private static final String USAGE = """
      SELECT (SELECT COUNT(*) FROM channels WHERE created_by_key_id = ?) AS channels,
        (SELECT COUNT(*) FROM messages m JOIN channels c ON c.id = m.channel_id
          WHERE c.created_by_key_id = ?) AS messages,
        (SELECT COUNT(*) FROM messages m JOIN channels c ON c.id = m.channel_id
          WHERE c.created_by_key_id = ? AND m.claimed_by_id IS NOT NULL) AS claimed,
        (SELECT COUNT(*) FROM sessions WHERE owner_key_id = ? AND expires_at > ?) AS sessions""";
  private static final String INSERT = """
      INSERT INTO channels (id, owner_id, created_by_key_id, name, mode, access, discoverable, description,
        metadata_schema, pinned_message, webhook_url, webhook_secret, ttl_seconds, retention_days, max_messages,
        max_writes_per_minute, paused, created_at, updated_at, max_deliveries, dead_letter_channel, max_in_flight)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String UPDATE = """
      UPDATE channels SET name = ?, mode = ?, access = ?, discoverable = ?, description = ?, metadata_schema = ?,
        pinned_message = ?, ttl_seconds = ?, retention_days = ?, max_messages = ?, max_writes_per_minute = ?,
        paused = ?, updated_at = ?, max_deliveries = ?, dead_letter_channel = ?, max_in_flight = ?
      WHERE id = ?""";
  private static final String DELETE = "DELETE FROM channels WHERE id = ?";
  private static final String ALIAS_TAKEN = "SELECT 1 FROM channel_aliases WHERE alias = ?";
  private static final String ADD_ALIAS = "INSERT INTO channel_aliases (alias, channel_id) VALUES (?, ?)";
  private static final String CLEAR_LINKS = "DELETE FROM channel_links WHERE channel_id = ?";
  private static final String ADD_LINK =
      "INSERT INTO channel_links (channel_id, related_channel_id) VALUES (?, ?) ON CONFLICT DO NOTHING";

  private final ReadPool reads;
  private final String byId;
  private final String byIdOrAlias;
  private final String resolve;

  JdbcChannelStore(ReadPool reads, Dialect dialect) {
    this.reads = reads;
    String columns = COLUMNS.formatted(dialect.jsonArrayAgg("alias"),
        dialect.jsonArrayAgg(dialect.jsonArray("r.id, r.name, r.mode")));
    this.byId = columns + BY_ID;
    this.byIdOrAlias = columns + BY_ID_OR_ALIAS;
    this.resolve = columns + RESOLVE;
  }

  @Override
  public Future<Optional<Channel>> resolve(String identifier, String ownerId, String keyId) {
    return reads.one(resolve, JdbcChannelStore::channel, keyId, identifier, identifier, ownerId, identifier);
  }

  @Override
  public Future<Optional<Channel>> findByIdOrAlias(String ref, String keyId) {
    return reads.one(byIdOrAlias, JdbcChannelStore::channel, keyId, ref, ref);
  }

  @Override
  public Optional<Channel> resolve(Tx tx, String identifier, String ownerId, String keyId) {
    return writerRows(tx).get("resolve", identifier, ownerId, keyId,
        () -> sql(tx).one(resolve, JdbcChannelStore::channel, keyId, identifier, identifier, ownerId, identifier));
  }

  @Override
  public Optional<Channel> find(Tx tx, String id, String keyId) {
    return writerRows(tx).get("id", id, "", keyId, () -> sql(tx).one(byId, JdbcChannelStore::channel, keyId, id));
  }

  @Override
  public Optional<Channel> findByIdOrAlias(Tx tx, String ref, String keyId) {
    return writerRows(tx).get("ref", ref, "", keyId,
        () -> sql(tx).one(byIdOrAlias, JdbcChannelStore::channel, keyId, ref, ref));
  }

  /** The writer's channel lookups; whatever changes the channel tables forgets them. */
  private WriterChannelRows writerRows(Tx tx) {
    return ((JdbcTx) tx).channelRows();
  }

  @Override
  public Future<List<DiscoveryItem>> discover(String keyId, Instant before, int limit) {
    long bound = before == null ? Long.MAX_VALUE : Timestamps.micros(before);
    return reads.list(DISCOVER, row -> new DiscoveryItem(
        row.text("id"),
        row.text("name"),
        ChannelMode.parse(row.text("mode")).orElseThrow(),
        Access.parse(row.text("access")).orElseThrow(),
        row.text("description"),
        row.instant("created_at"),
        row.flag("is_member")), keyId, keyId, bound, limit);
  }

  @Override
  public Future<ChannelStats> stats(String channelId, Instant now) {
    Future<List<long[]>> counts = reads.list(STATS, row -> new long[] {
        row.integer("total"), row.integer("unclaimed"), row.integer("claimed"), row.integer("acknowledged")},
        channelId);
    Future<Optional<Long>> claimToAck = reads.one(CLAIM_TO_ACK, row -> row.integerOrNull("n"), channelId, channelId);
    return Future.all(counts, claimToAck).map(done -> {
      long[] c = counts.result().get(0);
      Long avg = claimToAck.result().orElse(null);
      return new ChannelStats(c[0], c[1], c[2], c[3], avg);
    });
  }

  @Override
  public Future<Usage> usage(String keyId, Instant now) {
    return reads.one(USAGE, row -> new Usage(row.integer("channels"), row.integer("messages"),
        row.integer("claimed"), row.integer("sessions")), keyId, keyId, keyId, keyId, Timestamps.micros(now))
        .map(Optional::orElseThrow);
  }

  @Override
  public void insert(Tx tx, Channel c) {
    writerRows(tx).forget();
    sql(tx).update(INSERT, c.id(), c.ownerId(), c.createdByKeyId(), c.name(), c.mode(), c.access(),
        c.discoverable(), c.description(), c.metadataSchemaJson(), c.pinnedMessage(), c.webhookUrl(),
        c.webhookSecret(), c.ttlSeconds(), c.retentionDays(), c.maxMessages(), c.maxWritesPerMinute(), c.paused(),
        c.createdAt(), c.updatedAt(), c.queue().maxDeliveries(), c.queue().deadLetterChannel(),
        c.queue().maxInFlight());
  }

  @Override
  public void update(Tx tx, Channel c) {
    writerRows(tx).forget();
    sql(tx).update(UPDATE, c.name(), c.mode(), c.access(), c.discoverable(), c.description(),
        c.metadataSchemaJson(), c.pinnedMessage(), c.ttlSeconds(), c.retentionDays(), c.maxMessages(),
        c.maxWritesPerMinute(), c.paused(), c.updatedAt(), c.queue().maxDeliveries(), c.queue().deadLetterChannel(),
        c.queue().maxInFlight(), c.id());
  }

  @Override
  public void delete(Tx tx, String id) {
    writerRows(tx).forget();
    sql(tx).update(DELETE, id);
  }

  @Override
  public boolean aliasTaken(Tx tx, String alias) {
    return sql(tx).exists(ALIAS_TAKEN, alias);
  }

  @Override
  public void addAlias(Tx tx, String channelId, String alias) {
    writerRows(tx).forget();
    sql(tx).update(ADD_ALIAS, alias, channelId);
  }

  @Override
  public void replaceLinks(Tx tx, String channelId, List<String> relatedIds) {
    writerRows(tx).forget();
    sql(tx).update(CLEAR_LINKS, channelId);
    for (String related : relatedIds) {
      sql(tx).update(ADD_LINK, channelId, related);
    }
  }

  static Channel channel(Columns row) {
    return new Channel(
        row.text("id"),
        row.text("owner_id"),
        row.text("created_by_key_id"),
        row.text("name"),
        ChannelMode.parse(row.text("mode")).orElseThrow(),
        Access.parse(row.text("access")).orElseThrow(),
        row.flag("discoverable"),
        row.text("description"),
        row.text("metadata_schema"),
        row.text("pinned_message"),
        row.text("webhook_url"),
        row.text("webhook_secret"),
        row.int32("ttl_seconds"),
        row.int32("retention_days"),
        row.int32OrNull("max_messages"),
        row.int32OrNull("max_writes_per_minute"),
        row.flag("paused"),
        row.instant("created_at"),
        row.instant("updated_at"),
        SqlJson.sortedStrings(row.text("aliases_json")),
        related(row.text("related_json")),
        new QueuePolicy(row.int32OrNull("max_deliveries"), row.text("dead_letter_channel"),
            row.int32OrNull("max_in_flight")),
        row.flag("is_member"));
  }

  private static List<ChannelRef> related(String json) {
    List<ChannelRef> out = new ArrayList<>();
    for (JsonNode item : SqlJson.tree(json)) {
      out.add(new ChannelRef(item.get(0).asText(), item.get(1).asText(),
          ChannelMode.parse(item.get(2).asText()).orElseThrow()));
    }
    out.sort(Comparator.comparing(ChannelRef::name).thenComparing(ChannelRef::id));
    return out;
  }

  private static JdbcTx sql(Tx tx) {
    return (JdbcTx) tx;
  }
}
