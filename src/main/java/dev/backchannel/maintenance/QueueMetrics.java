package dev.backchannel.maintenance;

import dev.backchannel.ops.Metrics;
import dev.backchannel.ops.QueueDepth;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Refreshes the per-channel queue gauges from the database. A timer calls {@link #refresh()}
 * every {@code metrics_queue_interval_seconds}; only the deepest channels get their own series.
 */
public final class QueueMetrics {
  private static final Logger LOG = Logger.getLogger(QueueMetrics.class.getName());

  private final QueueStatsStore stats;
  private final Metrics metrics;
  private final Clock clock;
  private final int series;
  private final AtomicBoolean running = new AtomicBoolean();

  public QueueMetrics(QueueStatsStore stats, Metrics metrics, Clock clock, int series) {
    this.stats = stats;
    this.metrics = metrics;
    this.clock = clock;
    this.series = series;
  }

  /** Reads the backlog and publishes it; a call while one is still running is skipped. */
  public Future<List<QueueDepth>> refresh() {
    if (!running.compareAndSet(false, true)) {
      return Future.succeededFuture(List.of());
    }
    return stats.claimableDepths(clock.instant())
        .map(depths -> {
          List<QueueDepth> shown = QueueDepth.topWithOther(depths, series);
          metrics.queueDepths(shown);
          return shown;
        })
        .onFailure(e -> LOG.log(Level.WARNING, "reading queue depths failed: " + e.getMessage()))
        .eventually(() -> {
          running.set(false);
          return Future.succeededFuture();
        });
  }
}
