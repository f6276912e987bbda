package dev.backchannel.store.jdbc;

import dev.backchannel.actor.ActorRef;
import dev.backchannel.message.ArchivedMessage;
import dev.backchannel.message.ClaimFilter;
import dev.backchannel.message.Cursor;
import dev.backchannel.message.Horizon;
import dev.backchannel.message.Message;
import dev.backchannel.message.MessageEvent;
import dev.backchannel.message.MessageQuery;
import dev.backchannel.message.MessageStore;
import dev.backchannel.message.MessageTotals;
import dev.backchannel.message.QueueState;
import dev.backchannel.store.Columns;
import dev.backchannel.store.Tx;
import dev.backchannel.time.Timestamps;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

final class JdbcMessageStore implements MessageStore {
  private static final String SELECT = "SELECT * FROM messages";
  private static final String BY_ID = SELECT + " WHERE id = ?";
  private static final String BY_LEASE = SELECT + " WHERE lease_token = ?";
  private static final String BY_CHANNEL_SEQ = SELECT + " WHERE channel_id = ? AND seq = ?";
  // Delayed messages (deliver_at set) stay invisible until the janitor releases them (extensions §4).
  private static final String LIVE_IN_CHANNEL =
      SELECT + " WHERE channel_id = ? AND expires_at > ? AND deliver_at IS NULL";
  private static final String AFTER_SEQ = " AND seq > ?";
  private static final String AFTER_TIME = " AND created_at > ?";
  private static final String ONLY_UNCLAIMED = " AND claimed_by_id IS NULL";
  private static final String ONLY_CLAIMED = " AND claimed_by_id IS NOT NULL";
  private static final String EXPIRING_BEFORE = " AND expires_at < ?";
  private static final String OLDEST_FIRST = " ORDER BY created_at, seq LIMIT ?";
  private static final String UNCLAIMED = LIVE_IN_CHANNEL + ONLY_UNCLAIMED + OLDEST_FIRST;
  private static final String HISTORY = """
      SELECT * FROM archived_messages WHERE channel_id = ? AND created_at < ?
      ORDER BY created_at DESC, id DESC LIMIT ?""";
  private static final String INSERT = """
      INSERT INTO messages (seq, id, channel_id, actor_id, actor_name, actor_label, content, metadata, mentions,
        created_at, expires_at, priority, deliver_at, posted_by_key_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String EDIT =
      "UPDATE messages SET content = ?, metadata = ?, edited_at = ?, edit_count = edit_count + 1 WHERE id = ?";
  private static final String TOTALS = """
      SELECT (SELECT COUNT(*) FROM messages) AS total, newest.created_at, newest.channel_id
      FROM (SELECT 1 AS one) base
        LEFT JOIN (SELECT created_at, channel_id FROM messages ORDER BY seq DESC LIMIT 1) newest ON 1 = 1""";
  private static final String LATEST = "SELECT MAX(created_at) AS n FROM messages WHERE channel_id = ?";
  private static final String COUNT_SINCE =
      "SELECT COUNT(*) AS n FROM messages WHERE channel_id = ? AND created_at >= ?";
  private static final String LEASES_OF = SELECT + " " + """
       WHERE claimed_by_key_id = ? AND lease_expires_at > ? AND expires_at > ?
      ORDER BY lease_expires_at LIMIT 1000""";
  private static final String NEWEST_SEQ = "SELECT MAX(seq) AS n FROM messages WHERE channel_id = ?";
  private static final String TRIM_BOUNDARY =
      "SELECT seq FROM messages WHERE channel_id = ? ORDER BY created_at DESC, seq DESC LIMIT 1 OFFSET ?";
  private static final String TRIM_EVENTS = """
      DELETE FROM message_events WHERE message_id IN
        (SELECT id FROM messages WHERE channel_id = ? AND seq <= ?)""";
  private static final String TRIM = "DELETE FROM messages WHERE channel_id = ? AND seq <= ?";
  private static final String CLAIM = """
      UPDATE messages SET claimed_by_id = ?, claimed_by_name = ?, claimed_by_key_id = ?, claimed_at = ?,
        lease_token = ?, lease_expires_at = ?, fence = fence + 1, delivery_count = delivery_count + 1
      WHERE id = ? AND deliver_at IS NULL
        AND (claimed_by_id IS NULL OR (lease_expires_at IS NOT NULL AND lease_expires_at <= ? AND ack_count = 0))""";
  private static final String CLEAR_CLAIM = """
      UPDATE messages SET claimed_by_id = NULL, claimed_by_name = NULL, claimed_by_key_id = NULL, claimed_at = NULL,
        lease_token = NULL, lease_expires_at = NULL
      WHERE id = ?""";
  private static final String RENEW_LEASE = "UPDATE messages SET lease_expires_at = ? WHERE id = ?";
  private static final String HAS_ACKED =
      "SELECT 1 FROM message_events WHERE message_id = ? AND event_type = 'ack' AND actor_id = ?";
  private static final String ADD_ACK = """
      UPDATE messages SET ack_count = ack_count + 1,
        acks = %s
      WHERE id = ?""";
  private static final String RECORD_EVENT = """
      INSERT INTO message_events (id, message_id, channel_id, actor_id, actor_name, key_id, event_type, metadata,
        occurred_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String ARCHIVE = """
      INSERT INTO archived_messages (id, seq, channel_id, actor_id, actor_name, actor_label, content,
        metadata, created_at, expires_at, claimed_by_id, claimed_by_name, claimed_at, acks, events, reason,
        archived_at)
      SELECT m.id, m.seq, m.channel_id, m.actor_id, m.actor_name, m.actor_label, m.content, m.metadata,
        m.created_at, m.expires_at, m.claimed_by_id, m.claimed_by_name, m.claimed_at, m.acks,
        (SELECT %s FROM message_events e WHERE e.message_id = m.id),
        ?, ?
      FROM messages m WHERE m.id = ?
      ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, channel_id = excluded.channel_id,
        actor_id = excluded.actor_id, actor_name = excluded.actor_name, actor_label = excluded.actor_label,
        content = excluded.content, metadata = excluded.metadata, created_at = excluded.created_at,
        expires_at = excluded.expires_at, claimed_by_id = excluded.claimed_by_id,
        claimed_by_name = excluded.claimed_by_name, claimed_at = excluded.claimed_at, acks = excluded.acks,
        events = excluded.events, reason = excluded.reason, archived_at = excluded.archived_at""";
  private static final String DELETE_EVENTS = "DELETE FROM message_events WHERE message_id = ?";
  private static final String DELETE = "DELETE FROM messages WHERE id = ?";
  private static final String EXPIRED = SELECT + " WHERE expires_at <= ? ORDER BY expires_at LIMIT ?";
  private static final String EXPIRED_LEASES = SELECT + " " + """
       WHERE lease_expires_at <= ? AND claimed_by_id IS NOT NULL AND ack_count = 0
      ORDER BY lease_expires_at LIMIT ?""";
  private static final String PURGE_ARCHIVE = """
      DELETE FROM archived_messages WHERE archived_at < ? - 86400000000 *
        COALESCE((SELECT retention_days FROM channels c WHERE c.id = archived_messages.channel_id), ?)""";

  private static final String PURGED_THROUGH = """
      UPDATE channels SET purged_through_seq = %s, purged_through_at = %s WHERE id = ?""";

  private final ReadPool reads;
  private final String addAck;
  private final String archive;
  private final String purgedThrough;

  JdbcMessageStore(ReadPool reads, Dialect dialect) {
    this.reads = reads;
    this.addAck = ADD_ACK.formatted(dialect.appendJsonParameter("acks"));
    this.archive = ARCHIVE.formatted(dialect.jsonArrayAgg(dialect.jsonObject(
        "'type', e.event_type, 'actor_id', e.actor_id, 'actor_name', e.actor_name, 'key_id', e.key_id, "
            + "'metadata', " + dialect.json("e.metadata") + ", 'occurred_at', e.occurred_at")));
    this.purgedThrough = PURGED_THROUGH.formatted(dialect.greatest("purged_through_seq", "?"),
        dialect.greatest("purged_through_at", "?"));
  }

  @Override
  public Future<List<Message>> list(MessageQuery q) {
    List<Object> params = new ArrayList<>();
    return reads.list(listSql(q, params), JdbcMessageStore::message, params.toArray());
  }

  @Override
  public List<Message> list(Tx tx, MessageQuery q) {
    List<Object> params = new ArrayList<>();
    return sql(tx).list(listSql(q, params), JdbcMessageStore::message, params.toArray());
  }

  /** The page query's SQL; its parameters are added to {@code params}. */
  private static String listSql(MessageQuery q, List<Object> params) {
    StringBuilder sql = new StringBuilder(LIVE_IN_CHANNEL);
    params.addAll(List.of(q.channelId(), Timestamps.micros(q.now())));
    if (q.after() instanceof Cursor.AfterSeq seq) {
      sql.append(AFTER_SEQ);
      params.add(seq.seq());
    } else if (q.after() instanceof Cursor.AfterTime time) {
      sql.append(AFTER_TIME);
      params.add(Timestamps.micros(time.at()));
    }
    if (q.status() == ClaimFilter.UNCLAIMED) {
      sql.append(ONLY_UNCLAIMED);
    } else if (q.status() == ClaimFilter.CLAIMED) {
      sql.append(ONLY_CLAIMED);
    }
    if (q.expiringBefore() != null) {
      sql.append(EXPIRING_BEFORE);
      params.add(Timestamps.micros(q.expiringBefore()));
    }
    if (q.unreadAfter() > 0) {
      sql.append(AFTER_SEQ);
      params.add(q.unreadAfter());
    }
    sql.append(OLDEST_FIRST);
    params.add(q.limit());
    return sql.toString();
  }

  @Override
  public Future<MessageTotals> totals() {
    return reads.one(TOTALS, row -> new MessageTotals(row.integer("total"), row.instantOrNull("created_at"),
        row.text("channel_id"))).map(Optional::orElseThrow);
  }

  @Override
  public Future<List<ArchivedMessage>> history(String channelId, Instant before, int limit) {
    long bound = before == null ? Long.MAX_VALUE : Timestamps.micros(before);
    return reads.list(HISTORY, row -> new ArchivedMessage(
        row.text("id"),
        row.text("channel_id"),
        ref(row, "actor_id", "actor_name"),
        row.text("actor_label"),
        row.text("content"),
        row.text("metadata"),
        row.instant("created_at"),
        row.instant("expires_at"),
        ref(row, "claimed_by_id", "claimed_by_name"),
        row.instantOrNull("claimed_at"),
        row.instant("archived_at")), channelId, bound, limit);
  }

  @Override
  public Future<Optional<Message>> oldestLive(String channelId, Instant now) {
    return reads.one(LIVE_IN_CHANNEL + OLDEST_FIRST, JdbcMessageStore::message, channelId,
        Timestamps.micros(now), 1);
  }

  @Override
  public Future<List<Message>> after(Set<String> channelIds, Cursor after, Instant now, int limit) {
    StringBuilder sql = new StringBuilder(SELECT).append(" WHERE channel_id IN (").append(placeholders(channelIds))
        .append(") AND expires_at > ? AND deliver_at IS NULL");
    List<Object> params = new ArrayList<>(channelIds);
    params.add(Timestamps.micros(now));
    if (after instanceof Cursor.AfterSeq seq) {
      sql.append(AFTER_SEQ);
      params.add(seq.seq());
    } else if (after instanceof Cursor.AfterTime time) {
      sql.append(AFTER_TIME);
      params.add(Timestamps.micros(time.at()));
    }
    sql.append(" ORDER BY seq LIMIT ?");
    params.add(limit);
    return reads.list(sql.toString(), JdbcMessageStore::message, params.toArray());
  }

  @Override
  public Future<List<Message>> leasesHeldBy(String keyId, Instant now) {
    long micros = Timestamps.micros(now);
    return reads.list(LEASES_OF, JdbcMessageStore::message, keyId, micros, micros);
  }

  @Override
  public Future<Horizon> horizon(Set<String> channelIds, Instant now) {
    String in = placeholders(channelIds);
    String sql = "SELECT "
        + "(SELECT COALESCE(MAX(purged_through_seq), 0) FROM channels WHERE id IN (" + in + ")) AS purged_seq, "
        + "(SELECT COALESCE(MAX(purged_through_at), 0) FROM channels WHERE id IN (" + in + ")) AS purged_at, "
        + "(SELECT MAX(seq) FROM messages WHERE channel_id IN (" + in + ") AND expires_at <= ?) AS expired_seq, "
        + "(SELECT MAX(created_at) FROM messages WHERE channel_id IN (" + in + ") AND expires_at <= ?) AS expired_at, "
        + "(SELECT MIN(seq) FROM messages WHERE channel_id IN (" + in + ") AND expires_at > ?"
        + " AND deliver_at IS NULL) AS oldest";
    List<Object> params = new ArrayList<>();
    long micros = Timestamps.micros(now);
    params.addAll(channelIds);
    params.addAll(channelIds);
    params.addAll(channelIds);
    params.add(micros);
    params.addAll(channelIds);
    params.add(micros);
    params.addAll(channelIds);
    params.add(micros);
    return reads.one(sql, row -> {
      long seq = Math.max(row.integer("purged_seq"), orZero(row.integerOrNull("expired_seq")));
      long at = Math.max(row.integer("purged_at"), orZero(row.integerOrNull("expired_at")));
      return new Horizon(seq, seq == 0 ? null : Timestamps.instant(at), row.integerOrNull("oldest"));
    }, params.toArray()).map(Optional::orElseThrow);
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static String placeholders(Set<String> values) {
    return String.join(",", java.util.Collections.nCopies(values.size(), "?"));
  }

  @Override
  public Future<Optional<Message>> find(String id) {
    return reads.one(BY_ID, JdbcMessageStore::message, id);
  }

  @Override
  public Optional<Message> find(Tx tx, String id) {
    return sql(tx).one(BY_ID, JdbcMessageStore::message, id);
  }

  @Override
  public Optional<Message> findByLease(Tx tx, String leaseToken) {
    return sql(tx).one(BY_LEASE, JdbcMessageStore::message, leaseToken);
  }

  @Override
  public void insert(Tx tx, Message m) {
    sql(tx).update(INSERT, m.seq(), m.id(), m.channelId(), m.actor() == null ? null : m.actor().id(),
        m.actor() == null ? null : m.actor().name(), m.actorLabel(), m.content(), m.metadataJson(),
        m.mentionsJson(), m.createdAt(), m.expiresAt(), m.queue().priority(), m.queue().deliverAt(), m.postedByKeyId());
  }

  @Override
  public void edit(Tx tx, Message edited) {
    sql(tx).update(EDIT, edited.content(), edited.metadataJson(), edited.editedAt(), edited.id());
  }

  @Override
  public long countCreatedSince(Tx tx, String channelId, Instant since) {
    return sql(tx).count(COUNT_SINCE, channelId, since);
  }

  @Override
  public long newestSeq(Tx tx, String channelId) {
    return sql(tx).count(NEWEST_SEQ, channelId);
  }

  @Override
  public Optional<Instant> latestCreatedAt(Tx tx, String channelId) {
    return sql(tx).one(LATEST, row -> row.instantOrNull("n"), channelId);
  }

  @Override
  public int trim(Tx tx, String channelId, int keep) {
    Optional<Long> boundary = sql(tx).one(TRIM_BOUNDARY, row -> row.integer("seq"), channelId, keep);
    if (boundary.isEmpty()) {
      return 0;
    }
    sql(tx).update(TRIM_EVENTS, channelId, boundary.get());
    Message newestTrimmed = find(tx, channelId, boundary.get());
    if (newestTrimmed != null) {
      markPurged(tx, newestTrimmed);
    }
    return sql(tx).update(TRIM, channelId, boundary.get());
  }

  @Override
  public List<Message> unclaimed(Tx tx, String channelId, Instant now, int limit) {
    return sql(tx).list(UNCLAIMED, JdbcMessageStore::message, channelId, now, limit);
  }

  @Override
  public boolean claim(Tx tx, String id, ActorRef actor, String keyId, Instant at, String leaseToken,
      Instant leaseExpiresAt, Instant now) {
    return sql(tx).update(CLAIM, actor.id(), actor.name(), keyId, at, leaseToken, leaseExpiresAt, id, now) == 1;
  }

  @Override
  public void clearClaim(Tx tx, String id) {
    sql(tx).update(CLEAR_CLAIM, id);
  }

  @Override
  public void renewLease(Tx tx, String id, Instant leaseExpiresAt) {
    sql(tx).update(RENEW_LEASE, leaseExpiresAt, id);
  }

  @Override
  public boolean hasAcked(Tx tx, String messageId, String actorId) {
    return sql(tx).exists(HAS_ACKED, messageId, actorId);
  }

  @Override
  public void addAck(Tx tx, String messageId, ActorRef actor, Instant at) {
    Map<String, Object> ack = new LinkedHashMap<>();
    ack.put("id", actor.id());
    ack.put("name", actor.name());
    ack.put("occurred_at", Timestamps.format(at));
    sql(tx).update(addAck, SqlJson.write(ack), messageId);
  }

  @Override
  public void recordEvent(Tx tx, MessageEvent e) {
    sql(tx).update(RECORD_EVENT, e.id(), e.messageId(), e.channelId(), e.actorId(), e.actorName(), e.keyId(),
        e.type(), e.metadataJson(), e.occurredAt());
  }

  @Override
  public void archive(Tx tx, Message message, String reason, Instant at) {
    sql(tx).update(archive, reason, at, message.id());
    sql(tx).update(DELETE_EVENTS, message.id());
    sql(tx).update(DELETE, message.id());
  }

  @Override
  public List<Message> archiveExpired(Tx tx, Instant now, int limit) {
    List<Message> expired = sql(tx).list(EXPIRED, JdbcMessageStore::message, now, limit);
    for (Message message : expired) {
      archive(tx, message, "expired", now);
      markPurged(tx, message);
    }
    return expired;
  }

  /** Streams resuming before this message must be told that history is gone (extensions §2). */
  private void markPurged(Tx tx, Message message) {
    sql(tx).update(purgedThrough, message.seq(), message.createdAt(), message.channelId());
  }

  private Message find(Tx tx, String channelId, long seq) {
    return sql(tx).one(BY_CHANNEL_SEQ, JdbcMessageStore::message, channelId, seq).orElse(null);
  }

  @Override
  public List<Message> expiredLeases(Tx tx, Instant now, int limit) {
    return sql(tx).list(EXPIRED_LEASES, JdbcMessageStore::message, now, limit);
  }

  @Override
  public int purgeArchive(Tx tx, Instant now, int defaultRetentionDays) {
    return sql(tx).update(PURGE_ARCHIVE, now, defaultRetentionDays);
  }

  static Message message(Columns row) {
    return new Message(
        row.integer("seq"),
        row.text("id"),
        row.text("channel_id"),
        ref(row, "actor_id", "actor_name"),
        row.text("actor_label"),
        row.text("content"),
        row.text("metadata"),
        row.text("mentions"),
        row.instant("created_at"),
        row.instant("expires_at"),
        ref(row, "claimed_by_id", "claimed_by_name"),
        row.text("claimed_by_key_id"),
        row.instantOrNull("claimed_at"),
        row.text("lease_token"),
        row.instantOrNull("lease_expires_at"),
        row.int32("ack_count"),
        row.text("acks"),
        new QueueState(row.int32("priority"), row.instantOrNull("deliver_at"), row.int32("delivery_count"),
            row.integer("fence"), row.text("dead_lettered_from"), row.text("last_failure")),
        row.text("posted_by_key_id"),
        row.instantOrNull("edited_at"),
        row.int32("edit_count"));
  }

  private static ActorRef ref(Columns row, String idColumn, String nameColumn) {
    String id = row.text(idColumn);
    return id == null ? null : new ActorRef(id, row.text(nameColumn));
  }

  private static JdbcTx sql(Tx tx) {
    return (JdbcTx) tx;
  }
}
