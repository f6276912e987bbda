package dev.backchannel;

import dev.backchannel.config.Config;
import dev.backchannel.maintenance.Janitor;
import dev.backchannel.maintenance.QueueMetrics;
import dev.backchannel.stream.CommitFeed;
import dev.backchannel.stream.CommittedBatch;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages: publishes every committed batch of the database, in commit order, on the event bus
 * (where each event loop's hub and the long-poll waiters take it), and runs the message timers:
 * expiry and retention sweeps, lease sweeps, delayed messages coming due, queue-depth gauges.
 */
final class MessagesVerticle extends VerticleBase {
  /** Delayed messages become visible within a quarter second of their time (extensions §4). */
  private static final long DUE_CHECK_MS = 250;

  private final Janitor janitor;
  private final QueueMetrics queueMetrics;
  private final CommitFeed commits;
  private final Config config;
  private final Clock clock;
  private final List<Long> timers = new ArrayList<>();
  private Runnable unsubscribe = () -> { };

  MessagesVerticle(Services services, CommitFeed commits, Config config, Clock clock) {
    this.janitor = services.janitor();
    this.queueMetrics = services.queueMetrics();
    this.commits = commits;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().registerDefaultCodec(CommittedBatch.class, new CommittedBatch.LocalCodec());
    unsubscribe = commits.subscribe(batch -> vertx.eventBus().publish(CommittedBatch.ADDRESS, new CommittedBatch(batch)));
    timers.add(vertx.setPeriodic(config.janitorIntervalSeconds() * 1000L, id -> janitor.sweep()));
    timers.add(vertx.setPeriodic(config.leaseSweepIntervalSeconds() * 1000L, id -> {
      janitor.releaseLeases();
      janitor.learnDueTimes();
    }));
    timers.add(vertx.setPeriodic(DUE_CHECK_MS, id -> janitor.releaseDueIfAny(clock.instant())));
    timers.add(vertx.setPeriodic(config.metricsQueueIntervalSeconds() * 1000L, id -> queueMetrics.refresh()));
    queueMetrics.refresh();
    return janitor.releaseDue().otherwiseEmpty().mapEmpty();
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    unsubscribe.run();
    vertx.eventBus().unregisterDefaultCodec(CommittedBatch.class);
    return Future.succeededFuture();
  }
}
