package dev.backchannel.store.jdbc;

import dev.backchannel.maintenance.QueueStatsStore;
import dev.backchannel.ops.QueueDepth;
import dev.backchannel.time.Timestamps;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

final class JdbcQueueStatsStore implements QueueStatsStore {
  // One pass over the live messages of claimable channels, through messages_channel_created.
  private static final String DEPTHS = """
      SELECT c.id AS channel_id,
             COALESCE(SUM(CASE WHEN m.claimed_by_id IS NULL THEN 1 ELSE 0 END), 0) AS unclaimed,
             COALESCE(SUM(CASE WHEN m.claimed_by_id IS NOT NULL AND m.ack_count = 0 THEN 1 ELSE 0 END), 0)
               AS in_flight,
             MIN(CASE WHEN m.claimed_by_id IS NULL THEN m.created_at END) AS oldest_unclaimed
        FROM channels c
        LEFT JOIN messages m ON m.channel_id = c.id AND m.expires_at > ?
       WHERE c.mode = 'claimable'
       GROUP BY c.id""";

  private final ReadPool reads;

  JdbcQueueStatsStore(ReadPool reads) {
    this.reads = reads;
  }

  @Override
  public Future<List<QueueDepth>> claimableDepths(Instant now) {
    return reads.list(DEPTHS, row -> new QueueDepth(row.text("channel_id"), row.integer("unclaimed"),
        row.integer("in_flight"), row.instantOrNull("oldest_unclaimed")), Timestamps.micros(now));
  }
}
