package dev.backchannel.store.jdbc;

import dev.backchannel.store.Columns;
import dev.backchannel.store.Tx;
import dev.backchannel.time.Timestamps;
import dev.backchannel.webhook.Delivery;
import dev.backchannel.webhook.OutboxStore;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

final class JdbcOutboxStore implements OutboxStore {
  private static final String INSERT = """
      INSERT INTO webhook_deliveries (id, channel_id, event_type, url, secret, payload, status, attempts,
        next_attempt_at, created_at)
      VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)""";
  private static final String DUE = """
      SELECT id FROM webhook_deliveries
      WHERE status = 'pending' AND next_attempt_at <= ?
      ORDER BY next_attempt_at, created_at LIMIT ?""";
  private static final String FIND_DUE = """
      SELECT * FROM webhook_deliveries WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?""";
  private static final String LEASE = "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?";
  private static final String DELIVERED = """
      UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, next_attempt_at = NULL,
        last_error = NULL, finished_at = ?
      WHERE id = ?""";
  private static final String RETRY = """
      UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?""";
  private static final String ABANDON = """
      UPDATE webhook_deliveries SET status = 'abandoned', attempts = ?, next_attempt_at = NULL, last_error = ?,
        finished_at = ?
      WHERE id = ?""";
  private static final String MENTION_SLOT = """
      INSERT INTO mention_pushes (channel_id, actor_id, last_sent_at) VALUES (?, ?, ?)
      ON CONFLICT (channel_id, actor_id) DO UPDATE SET last_sent_at = excluded.last_sent_at
      WHERE mention_pushes.last_sent_at <= ?""";
  private static final String PURGE = """
      DELETE FROM webhook_deliveries WHERE status <> 'pending' AND finished_at < ?""";
  private static final String PURGE_SLOTS = "DELETE FROM mention_pushes WHERE last_sent_at < ?";

  private final ReadPool reads;

  JdbcOutboxStore(ReadPool reads) {
    this.reads = reads;
  }

  @Override
  public void enqueue(Tx tx, Delivery d) {
    sql(tx).update(INSERT, d.id(), d.channelId(), d.eventType(), d.url(), d.secret(), d.payload(), d.createdAt(),
        d.createdAt());
  }

  @Override
  public Future<List<String>> due(Instant now, int limit) {
    return reads.list(DUE, row -> row.text("id"), Timestamps.micros(now), limit);
  }

  @Override
  public List<Delivery> claim(Tx tx, List<String> ids, Instant now, Instant leaseUntil) {
    List<Delivery> claimed = new ArrayList<>();
    for (String id : ids) {
      sql(tx).one(FIND_DUE, JdbcOutboxStore::delivery, id, now).ifPresent(delivery -> {
        sql(tx).update(LEASE, leaseUntil, id);
        claimed.add(delivery);
      });
    }
    return claimed;
  }

  @Override
  public void delivered(Tx tx, String id, Instant at) {
    sql(tx).update(DELIVERED, at, id);
  }

  @Override
  public void failed(Tx tx, String id, int attempts, Instant nextAttemptAt, String error, Instant at) {
    if (nextAttemptAt == null) {
      sql(tx).update(ABANDON, attempts, error, at, id);
    } else {
      sql(tx).update(RETRY, attempts, nextAttemptAt, error, id);
    }
  }

  @Override
  public boolean takeMentionSlot(Tx tx, String channelId, String actorId, Instant now, Instant since) {
    return sql(tx).update(MENTION_SLOT, channelId, actorId, now, since) > 0;
  }

  @Override
  public int purge(Tx tx, Instant before, Instant mentionSlotsBefore) {
    sql(tx).update(PURGE_SLOTS, mentionSlotsBefore);
    return sql(tx).update(PURGE, before);
  }

  private static Delivery delivery(Columns row) {
    return new Delivery(row.text("id"), row.text("channel_id"), row.text("event_type"), row.text("url"),
        row.text("secret"), row.text("payload"), row.int32("attempts"), row.instant("created_at"));
  }

  private static JdbcTx sql(Tx tx) {
    return (JdbcTx) tx;
  }
}
