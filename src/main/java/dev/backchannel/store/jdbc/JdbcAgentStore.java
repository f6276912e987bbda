package dev.backchannel.store.jdbc;

import dev.backchannel.actor.ActorRef;
import dev.backchannel.agent.AgentEvent;
import dev.backchannel.agent.AgentStore;
import dev.backchannel.agent.AgentSummary;
import dev.backchannel.agent.CompletionRef;
import dev.backchannel.agent.InboxItem;
import dev.backchannel.agent.InboxStatus;
import dev.backchannel.agent.Mention;
import dev.backchannel.agent.Reader;
import dev.backchannel.agent.Subscription;
import dev.backchannel.channel.ChannelMode;
import dev.backchannel.store.Columns;
import dev.backchannel.store.Tx;
import dev.backchannel.time.Timestamps;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

final class JdbcAgentStore implements AgentStore {
  private static final String SUBSCRIBE =
      "INSERT INTO subscriptions (channel_id, actor_id, key_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
  private static final String UNSUBSCRIBE = "DELETE FROM subscriptions WHERE channel_id = ? AND actor_id = ?";
  private static final String SUBSCRIBERS = """
      SELECT s.channel_id, c.mode, s.created_at, a.id AS actor_id, a.name AS actor_name, a.owner_id
      FROM subscriptions s JOIN actors a ON a.id = s.actor_id JOIN channels c ON c.id = s.channel_id
      WHERE s.channel_id = ? ORDER BY s.created_at, a.name""";
  private static final String SUBSCRIBED_CHANNELS = """
      SELECT DISTINCT s.channel_id, c.mode FROM subscriptions s JOIN actors a ON a.id = s.actor_id
        JOIN channels c ON c.id = s.channel_id
      WHERE a.owner_id = ?""";
  private static final String OWNER_SUBSCRIBES = """
      SELECT 1 FROM subscriptions s JOIN actors a ON a.id = s.actor_id WHERE s.channel_id = ? AND a.owner_id = ?""";
  private static final String INSERT_MENTION = """
      INSERT INTO mentions (id, seq, message_id, channel_id, actor_id, actor_name, owner_id, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String MENTION_COLUMNS = """
      mn.seq AS event_seq, mn.id AS mention_id, mn.actor_id AS mention_actor_id,
      mn.actor_name AS mention_actor_name, mn.owner_id AS mention_owner_id, mn.created_at AS mention_created_at,
      mn.acked_at, mn.claimed_by_key, mn.claim_expires_at, m.*""";
  private static final String MENTIONS = "SELECT 'mention' AS event_type, " + MENTION_COLUMNS + """
       FROM mentions mn JOIN messages m ON m.id = mn.message_id
      WHERE mn.owner_id = ? AND mn.seq > ? AND m.expires_at > ? AND m.deliver_at IS NULL
      ORDER BY mn.seq LIMIT ?""";
  private static final String FEED = "SELECT * FROM (SELECT 'mention' AS event_type, " + MENTION_COLUMNS + """
       FROM mentions mn JOIN messages m ON m.id = mn.message_id
      WHERE mn.owner_id = ? AND mn.seq > ? AND m.expires_at > ? AND m.deliver_at IS NULL
      UNION ALL
      SELECT CASE c.mode WHEN 'claimable' THEN 'claimable' ELSE 'message' END, m.seq,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, m.*
      FROM messages m JOIN channels c ON c.id = m.channel_id
      WHERE m.channel_id IN (SELECT s.channel_id FROM subscriptions s JOIN actors a ON a.id = s.actor_id
                             WHERE a.owner_id = ?)
        AND m.seq > ? AND m.expires_at > ? AND m.deliver_at IS NULL) feed
      ORDER BY event_seq LIMIT ?""";
  private static final String INBOX = "SELECT 'mention' AS event_type, " + MENTION_COLUMNS + """
      , mn.status AS inbox_status, mn.status_at, mn.completion_ref, mn.mention_removed_at
      FROM mentions mn JOIN messages m ON m.id = mn.message_id
      WHERE mn.owner_id = ? AND mn.seq > ? AND m.expires_at > ? AND m.deliver_at IS NULL""";
  private static final String INBOX_STATUS = " AND mn.status = ?";
  private static final String INBOX_ORDER = " ORDER BY mn.seq LIMIT ?";
  private static final String MENTIONED_ACTORS =
      "SELECT actor_id, CASE WHEN mention_removed_at IS NULL THEN 1 ELSE 0 END AS still FROM mentions WHERE message_id = ?";
  private static final String SET_STILL_MENTIONED =
      "UPDATE mentions SET mention_removed_at = ? WHERE message_id = ? AND actor_id = ?";
  private static final String FIND_MENTION = "SELECT * FROM mentions WHERE id = ?";
  private static final String FIND_MENTION_OF =
      "SELECT * FROM mentions WHERE owner_id = ? AND message_id = ? ORDER BY seq LIMIT 1";
  private static final String LIVE_CLAIM =
      "SELECT * FROM mentions WHERE message_id = ? AND claim_expires_at > ? ORDER BY claim_expires_at DESC LIMIT 1";
  private static final String CLAIM_MESSAGE =
      "UPDATE mentions SET claimed_by_key = ?, claim_expires_at = ? WHERE message_id = ?";
  private static final String RELEASE_MESSAGE =
      "UPDATE mentions SET claimed_by_key = NULL, claim_expires_at = NULL WHERE message_id = ?";
  private static final String MARK_READ = """
      INSERT INTO read_positions (channel_id, actor_id, seq, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (channel_id, actor_id) DO UPDATE SET seq = %s, updated_at = excluded.updated_at""";
  private static final String READ_POSITION = "SELECT seq AS n FROM read_positions WHERE channel_id = ? AND actor_id = ?";
  private static final String READERS = """
      SELECT a.id AS actor_id, a.name AS actor_name, COALESCE(r.seq, 0) AS read_seq, r.updated_at,
        (SELECT COUNT(*) FROM messages m
          WHERE m.channel_id = x.channel_id AND m.expires_at > ? AND m.deliver_at IS NULL AND m.seq > COALESCE(r.seq, 0)) AS unread
      FROM (SELECT channel_id, actor_id FROM read_positions WHERE channel_id = ?
            UNION SELECT channel_id, actor_id FROM subscriptions WHERE channel_id = ?) x
      JOIN actors a ON a.id = x.actor_id
      LEFT JOIN read_positions r ON r.channel_id = x.channel_id AND r.actor_id = x.actor_id
      ORDER BY a.name, a.id""";
  private static final String SUMMARY = """
      SELECT
        (SELECT COUNT(*) FROM mentions mn JOIN messages m ON m.id = mn.message_id
          WHERE mn.owner_id = ? AND mn.acked_at IS NULL AND mn.status <> 'completed' AND mn.mention_removed_at IS NULL
            AND m.expires_at > ? AND m.deliver_at IS NULL) AS mentions,
        (SELECT COUNT(*) FROM messages m JOIN channels c ON c.id = m.channel_id
          WHERE c.mode = 'claimable' AND m.claimed_by_id IS NULL AND m.expires_at > ? AND m.deliver_at IS NULL
            AND m.channel_id IN (SELECT s.channel_id FROM subscriptions s JOIN actors a ON a.id = s.actor_id
                                 WHERE a.owner_id = ?)) AS claimable,
        (SELECT COUNT(*) FROM subscriptions s JOIN actors a ON a.id = s.actor_id
          JOIN messages m ON m.channel_id = s.channel_id
          LEFT JOIN read_positions r ON r.channel_id = s.channel_id AND r.actor_id = s.actor_id
          WHERE a.owner_id = ? AND m.expires_at > ? AND m.deliver_at IS NULL AND m.seq > COALESCE(r.seq, 0)) AS unread""";

  private final ReadPool reads;

  private final String markReadSql;

  JdbcAgentStore(ReadPool reads, Dialect dialect) {
    this.markReadSql = MARK_READ.formatted(dialect.greatest("read_positions.seq", "excluded.seq"));
    this.reads = reads;
  }

  @Override
  public boolean subscribe(Tx tx, String channelId, ActorRef actor, String keyId, Instant at) {
    return sql(tx).update(SUBSCRIBE, channelId, actor.id(), keyId, at) > 0;
  }

  @Override
  public boolean unsubscribe(Tx tx, String channelId, String actorId) {
    return sql(tx).update(UNSUBSCRIBE, channelId, actorId) > 0;
  }

  @Override
  public Future<List<Subscription>> subscribers(String channelId) {
    return reads.list(SUBSCRIBERS, row -> new Subscription(row.text("channel_id"),
        ChannelMode.parse(row.text("mode")).orElseThrow(), new ActorRef(row.text("actor_id"), row.text("actor_name")),
        row.text("owner_id"), row.instant("created_at")), channelId);
  }

  @Override
  public Future<Map<String, ChannelMode>> subscribedChannels(String ownerId) {
    return reads.list(SUBSCRIBED_CHANNELS, row -> Map.entry(row.text("channel_id"),
        ChannelMode.parse(row.text("mode")).orElseThrow()), ownerId).map(rows -> {
          Map<String, ChannelMode> channels = new LinkedHashMap<>();
          rows.forEach(entry -> channels.put(entry.getKey(), entry.getValue()));
          return channels;
        });
  }

  @Override
  public boolean ownerSubscribes(Tx tx, String channelId, String ownerId) {
    return sql(tx).exists(OWNER_SUBSCRIBES, channelId, ownerId);
  }

  @Override
  public void insertMention(Tx tx, Mention m) {
    sql(tx).update(INSERT_MENTION, m.id(), m.seq(), m.messageId(), m.channelId(), m.actor().id(), m.actor().name(),
        m.ownerId(), m.createdAt());
  }

  @Override
  public Future<List<AgentEvent>> mentions(String ownerId, long afterSeq, int limit, Instant now) {
    return reads.list(MENTIONS, JdbcAgentStore::event, ownerId, afterSeq, Timestamps.micros(now), limit);
  }

  @Override
  public Optional<Mention> findMention(Tx tx, String id) {
    return sql(tx).one(FIND_MENTION, JdbcAgentStore::mention, id);
  }

  private static Mention mention(Columns row) {
    return new Mention(
        row.text("id"),
        row.integer("seq"),
        row.text("message_id"),
        row.text("channel_id"),
        new ActorRef(row.text("actor_id"), row.text("actor_name")),
        row.text("owner_id"),
        row.instant("created_at"),
        row.instantOrNull("acked_at"),
        row.text("claimed_by_key"),
        row.instantOrNull("claim_expires_at"));
  }

  @Override
  public Future<List<InboxItem>> inbox(String ownerId, InboxStatus status, long afterSeq, int limit, Instant now) {
    long micros = Timestamps.micros(now);
    return status == null
        ? reads.list(INBOX + INBOX_ORDER, JdbcAgentStore::inboxItem, ownerId, afterSeq, micros, limit)
        : reads.list(INBOX + INBOX_STATUS + INBOX_ORDER, JdbcAgentStore::inboxItem, ownerId, afterSeq, micros,
            status.wire(), limit);
  }

  @Override
  public int setInboxStatus(Tx tx, String ownerId, List<String> ids, InboxStatus status, CompletionRef ref,
      Instant at) {
    String sql = "UPDATE mentions SET status = ?, status_at = ?, completion_ref = ? WHERE owner_id = ? AND id IN ("
        + String.join(",", Collections.nCopies(ids.size(), "?")) + ")";
    List<Object> params = new ArrayList<>(List.of(status.wire(), Timestamps.micros(at)));
    params.add(ref == null ? null : ref.sourceType() + ":" + ref.sourceId());
    params.add(ownerId);
    params.addAll(ids);
    return sql(tx).update(sql, params.toArray());
  }

  @Override
  public Map<String, Boolean> mentionedActors(Tx tx, String messageId) {
    Map<String, Boolean> actors = new LinkedHashMap<>();
    sql(tx).list(MENTIONED_ACTORS, row -> Map.entry(row.text("actor_id"), row.integer("still") == 1), messageId)
        .forEach(entry -> actors.put(entry.getKey(), entry.getValue()));
    return actors;
  }

  @Override
  public void setStillMentioned(Tx tx, String messageId, String actorId, Instant removedAt) {
    sql(tx).update(SET_STILL_MENTIONED, removedAt, messageId, actorId);
  }

  private static InboxItem inboxItem(Columns row) {
    AgentEvent event = event(row);
    String ref = row.text("completion_ref");
    int colon = ref == null ? -1 : ref.indexOf(':');
    return new InboxItem(event.mention(), event.message(),
        InboxStatus.parse(row.text("inbox_status")).orElse(InboxStatus.PENDING), row.instantOrNull("status_at"),
        colon < 0 ? null : new CompletionRef(ref.substring(0, colon), ref.substring(colon + 1)),
        row.instantOrNull("mention_removed_at"));
  }

  @Override
  public int ackMentions(Tx tx, String ownerId, List<String> ids, Instant at) {
    if (ids.isEmpty()) {
      return 0;
    }
    String sql = "UPDATE mentions SET acked_at = ? WHERE owner_id = ? AND acked_at IS NULL AND id IN ("
        + String.join(",", Collections.nCopies(ids.size(), "?")) + ")";
    List<Object> params = new ArrayList<>(List.of(Timestamps.micros(at), ownerId));
    params.addAll(ids);
    return sql(tx).update(sql, params.toArray());
  }

  @Override
  public Future<Optional<Mention>> findMention(String id) {
    return reads.one(FIND_MENTION, JdbcAgentStore::mention, id);
  }

  @Override
  public Future<Optional<Mention>> findMentionOf(String ownerId, String messageId) {
    return reads.one(FIND_MENTION_OF, JdbcAgentStore::mention, ownerId, messageId);
  }

  @Override
  public Optional<Mention> findMentionOf(Tx tx, String ownerId, String messageId) {
    return sql(tx).one(FIND_MENTION_OF, JdbcAgentStore::mention, ownerId, messageId);
  }

  @Override
  public Future<Optional<Mention>> liveClaim(String messageId, Instant now) {
    return reads.one(LIVE_CLAIM, JdbcAgentStore::mention, messageId, Timestamps.micros(now));
  }

  @Override
  public Optional<Mention> liveClaim(Tx tx, String messageId, Instant now) {
    return sql(tx).one(LIVE_CLAIM, JdbcAgentStore::mention, messageId, now);
  }

  @Override
  public void claimMessage(Tx tx, String messageId, String keyId, Instant until) {
    sql(tx).update(CLAIM_MESSAGE, keyId, until, messageId);
  }

  @Override
  public void releaseMessage(Tx tx, String messageId) {
    sql(tx).update(RELEASE_MESSAGE, messageId);
  }

  @Override
  public long markRead(Tx tx, String channelId, String actorId, long seq, Instant at) {
    sql(tx).update(markReadSql, channelId, actorId, seq, at);
    return sql(tx).count(READ_POSITION, channelId, actorId);
  }

  @Override
  public Future<Long> readPosition(String channelId, String actorId) {
    return reads.one(READ_POSITION, row -> row.integer("n"), channelId, actorId).map(found -> found.orElse(0L));
  }

  @Override
  public long readPosition(Tx tx, String channelId, String actorId) {
    return sql(tx).one(READ_POSITION, row -> row.integer("n"), channelId, actorId).orElse(0L);
  }

  @Override
  public Future<List<Reader>> readers(String channelId, Instant now) {
    return reads.list(READERS, JdbcAgentStore::reader, Timestamps.micros(now), channelId, channelId);
  }

  @Override
  public List<Reader> readers(Tx tx, String channelId, Instant now) {
    return ((JdbcTx) tx).list(READERS, JdbcAgentStore::reader, Timestamps.micros(now), channelId, channelId);
  }

  private static Reader reader(Columns row) {
    return new Reader(new ActorRef(row.text("actor_id"), row.text("actor_name")),
        row.integer("read_seq"), row.integer("unread"), row.instantOrNull("updated_at"));
  }

  @Override
  public Future<List<AgentEvent>> feed(String ownerId, long afterSeq, int limit, Instant now) {
    long micros = Timestamps.micros(now);
    return reads.list(FEED, JdbcAgentStore::event, ownerId, afterSeq, micros, ownerId, afterSeq, micros, limit);
  }

  @Override
  public Future<AgentSummary> summary(String ownerId, Instant now) {
    long micros = Timestamps.micros(now);
    return reads.one(SUMMARY, row -> new AgentSummary(row.integer("unread"), row.integer("mentions"),
        row.integer("claimable")), ownerId, micros, micros, ownerId, ownerId, micros).map(Optional::orElseThrow);
  }

  private static AgentEvent event(Columns row) {
    String type = row.text("event_type");
    Mention mention = AgentEvent.MENTION.equals(type) ? new Mention(
        row.text("mention_id"),
        row.integer("event_seq"),
        row.text("id"),
        row.text("channel_id"),
        new ActorRef(row.text("mention_actor_id"), row.text("mention_actor_name")),
        row.text("mention_owner_id"),
        row.instant("mention_created_at"),
        row.instantOrNull("acked_at"),
        row.text("claimed_by_key"),
        row.instantOrNull("claim_expires_at")) : null;
    return new AgentEvent(row.integer("event_seq"), type, mention, JdbcMessageStore.message(row));
  }

  private static JdbcTx sql(Tx tx) {
    return (JdbcTx) tx;
  }
}
