package dev.backchannel.maintenance;

import dev.backchannel.ops.QueueDepth;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/** Reads the backlog of every claimable channel for the queue gauges; one cheap query. */
public interface QueueStatsStore {
  /** Every claimable channel with its live (unexpired at {@code now}) backlog, empty ones included. */
  Future<List<QueueDepth>> claimableDepths(Instant now);
}
