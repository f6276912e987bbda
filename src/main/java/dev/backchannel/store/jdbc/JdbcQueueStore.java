package dev.backchannel.store.jdbc;

import dev.backchannel.actor.ActorRef;
import dev.backchannel.message.Message;
import dev.backchannel.message.QueueStore;
import dev.backchannel.store.Tx;
import dev.backchannel.time.Timestamps;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class JdbcQueueStore implements QueueStore {
  private static final String BEST_FIRST = " ORDER BY priority DESC, seq LIMIT 1";
  // Picks and claims in one statement: the best ready message, with a fresh lease.
  private static final String CLAIM_BEST = """
      UPDATE messages SET claimed_by_id = ?, claimed_by_name = ?, claimed_by_key_id = ?, claimed_at = ?,
        lease_token = ?, lease_expires_at = ?, fence = fence + 1, delivery_count = delivery_count + 1
      WHERE seq = (SELECT seq FROM messages
                   WHERE channel_id = ? AND claimed_by_id IS NULL AND deliver_at IS NULL AND expires_at > ?""";
  private static final String CLAIMED = ") RETURNING *";
  private static final String IN_FLIGHT =
      "SELECT COUNT(*) AS n FROM messages WHERE channel_id = ? AND claimed_by_id = ? AND ack_count = 0";
  private static final String DUE =
      "SELECT * FROM messages WHERE deliver_at IS NOT NULL AND deliver_at <= ? ORDER BY deliver_at LIMIT ?";
  private static final String EARLIEST_DUE = "SELECT MIN(deliver_at) AS n FROM messages WHERE deliver_at IS NOT NULL";
  private static final String RESEQUENCE =
      "UPDATE messages SET seq = ?, created_at = ?, deliver_at = ? WHERE id = ?";
  private static final String REQUEUE = """
      UPDATE messages SET claimed_by_id = NULL, claimed_by_name = NULL, claimed_by_key_id = NULL, claimed_at = NULL,
        lease_token = NULL, lease_expires_at = NULL, deliver_at = ?, last_failure = ?
      WHERE id = ?""";
  private static final String MOVE = """
      UPDATE messages SET channel_id = ?, seq = ?, created_at = ?, expires_at = ?, dead_lettered_from = ?,
        last_failure = ?, deliver_at = NULL, claimed_by_id = NULL, claimed_by_name = NULL, claimed_by_key_id = NULL,
        claimed_at = NULL, lease_token = NULL, lease_expires_at = NULL,
        delivery_count = CASE WHEN ? = 1 THEN 0 ELSE delivery_count END
      WHERE id = ?""";
  private static final String MOVE_EVENTS = "UPDATE message_events SET channel_id = ? WHERE message_id = ?";
  private static final String MOVE_MENTIONS = "UPDATE mentions SET channel_id = ? WHERE message_id = ?";
  private static final String DEAD_LETTERS = """
      SELECT * FROM messages WHERE channel_id = ? AND dead_lettered_from IS NOT NULL AND claimed_by_id IS NULL
      ORDER BY seq LIMIT ?""";

  private final ReadPool reads;
  private final Dialect dialect;

  JdbcQueueStore(ReadPool reads, Dialect dialect) {
    this.reads = reads;
    this.dialect = dialect;
  }


  @Override
  public Optional<Message> claimNext(Tx tx, String channelId, Instant now, Map<String, Object> match, ActorRef claimer,
      String keyId, String leaseToken, Instant leaseExpiresAt) {
    StringBuilder sql = new StringBuilder(CLAIM_BEST);
    List<Object> params = new ArrayList<>(List.of(claimer.id(), claimer.name(), keyId, Timestamps.micros(now),
        leaseToken, Timestamps.micros(leaseExpiresAt), channelId, Timestamps.micros(now)));
    appendMatch(sql, params, match);
    sql.append(BEST_FIRST).append(CLAIMED);
    return sql(tx).one(sql.toString(), JdbcMessageStore::message, params.toArray());
  }

  private void appendMatch(StringBuilder sql, List<Object> params, Map<String, Object> match) {
    match.forEach((key, value) -> {
      sql.append(dialect.metadataEquals());
      params.add(dialect.metadataPath(key));
      params.add(dialect.metadataValue(value));
    });
  }

  @Override
  public long inFlight(Tx tx, String channelId, String actorId) {
    return sql(tx).count(IN_FLIGHT, channelId, actorId);
  }

  @Override
  public List<Message> due(Tx tx, Instant now, int limit) {
    return sql(tx).list(DUE, JdbcMessageStore::message, now, limit);
  }

  @Override
  public Future<Optional<Instant>> earliestDue() {
    return reads.one(EARLIEST_DUE, row -> row.instantOrNull("n"));
  }

  @Override
  public void resequence(Tx tx, String id, long seq, Instant createdAt, Instant deliverAt) {
    sql(tx).update(RESEQUENCE, seq, createdAt, deliverAt, id);
  }

  @Override
  public void requeue(Tx tx, String id, Instant deliverAt, String failure) {
    sql(tx).update(REQUEUE, deliverAt, failure, id);
  }

  @Override
  public void move(Tx tx, String id, String toChannelId, long seq, Instant createdAt, Instant expiresAt,
      String deadLetteredFrom, String failure, boolean resetDeliveries) {
    sql(tx).update(MOVE, toChannelId, seq, createdAt, expiresAt, deadLetteredFrom, failure, resetDeliveries, id);
    sql(tx).update(MOVE_EVENTS, toChannelId, id);
    sql(tx).update(MOVE_MENTIONS, toChannelId, id);
  }

  @Override
  public List<Message> deadLetters(Tx tx, String channelId, int limit) {
    return sql(tx).list(DEAD_LETTERS, JdbcMessageStore::message, channelId, limit);
  }

  private static JdbcTx sql(Tx tx) {
    return (JdbcTx) tx;
  }
}
