package dev.backchannel.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * {@link Metrics} on a Micrometer registry, exported as Prometheus text. Labels come from closed
 * sets only: route templates, status codes, channel modes, outcomes (contract §5.15), and channel
 * ids for at most {@code metrics_channel_series} claimable channels.
 */
public final class MicrometerMetrics implements Metrics {
  private static final Duration[] REQUEST_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
  /**
   * Gauges that vertx-micrometer-metrics 5.0.10 registers again for every request, connection,
   * query or event-bus message (vert-x3/vertx-micrometer-metrics#259), which Micrometer 1.17
   * reports as a double registration. Dropped here; the HTTP ones are replaced by our own.
   */
  private static final Set<String> REREGISTERED_VERTX_GAUGES = Set.of(
      "vertx.http.server.active.requests", "vertx.http.server.active.connections",
      "vertx.http.server.active.ws.connections", "vertx.sql.processing.pending",
      "vertx.eventbus.handlers", "vertx.eventbus.pending");
  private static final Pattern LABEL_WORD = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  private final MeterRegistry registry;
  private final Clock clock;
  private final DistributionSummary batchSize;
  private final Timer commitLatency;
  private final AtomicLong requestsActive = new AtomicLong();
  private final AtomicLong connectionsActive = new AtomicLong();
  private final AtomicLong streamsOpen = new AtomicLong();
  private final List<IntSupplier> longPollSources = new CopyOnWriteArrayList<>();
  private final MultiGauge queueUnclaimed;
  private final MultiGauge queueInFlight;
  private final MultiGauge queueOldestAge;

  public MicrometerMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    this.batchSize = DistributionSummary.builder("backchannel.writer.batch.size")
        .description("Writes committed together in one transaction")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000)
        .register(registry);
    this.commitLatency = Timer.builder("backchannel.writer.commit")
        .description("Time from BEGIN to COMMIT of one writer batch")
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofSeconds(1))
        .register(registry);
    gauge("backchannel.http.requests.active", "Requests being processed", requestsActive::get);
    gauge("backchannel.http.connections.active", "Open HTTP connections", connectionsActive::get);
    gauge("backchannel.streams.open", "Open event streams", streamsOpen::get);
    gauge("backchannel.longpoll.waiters", "Long-poll requests waiting for a message", this::longPollWaiting);
    queueUnclaimed = queueGauge("backchannel.queue.unclaimed", "Live unclaimed messages per claimable channel");
    queueInFlight = queueGauge("backchannel.queue.in.flight", "Claimed, unacknowledged messages per claimable channel");
    queueOldestAge = MultiGauge.builder("backchannel.queue.oldest.unclaimed.age")
        .description("Age of the oldest unclaimed message per claimable channel")
        .baseUnit("seconds")
        .register(registry);
    preRegisterCounters();
    new FileDescriptorMetrics().bindTo(registry);
    new ResidentMemoryMetrics().bindTo(registry);
  }

  /** A Prometheus registry that drops the Vert.x gauges it would otherwise re-register per event. */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(MeterFilter.deny(id -> REREGISTERED_VERTX_GAUGES.contains(id.getName())));
    return registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Exposes the writer's queue length; called once, when the store exists. */
  public void writerQueue(IntSupplier depth) {
    gauge("backchannel.writer.queue", "Writes waiting for the next transaction", depth::getAsInt);
  }

  @Override
  public void requestStarted() {
    requestsActive.incrementAndGet();
  }

  @Override
  public void request(String method, String route, int status, long nanos) {
    requestsActive.decrementAndGet();
    Counter.builder("backchannel.requests")
        .description("HTTP requests answered, by method, route template and status")
        .tags("method", method, "path", route, "status", Integer.toString(status))
        .register(registry)
        .increment();
    Timer.builder("backchannel.request.duration")
        .description("HTTP request duration, by method and route template")
        .tags("method", method, "path", route)
        .serviceLevelObjectives(REQUEST_BUCKETS)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void connectionOpened() {
    connectionsActive.incrementAndGet();
  }

  @Override
  public void connectionClosed() {
    connectionsActive.decrementAndGet();
  }

  @Override
  public void writerBatch(int size, long nanos) {
    batchSize.record(size);
    commitLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void messagePosted(String mode) {
    registry.counter("backchannel.messages.posted", "mode", mode).increment();
  }

  @Override
  public void claim(String result) {
    registry.counter("backchannel.claims", "result", result).increment();
  }

  @Override
  public void leasesExpired(int count) {
    add("backchannel.leases.expired", count);
  }

  @Override
  public void redeliveries(int count) {
    add("backchannel.redeliveries", count);
  }

  @Override
  public void deadLettered(int count) {
    add("backchannel.dead.lettered", count);
  }

  @Override
  public void messagesArchived(int count) {
    add("backchannel.messages.archived", count);
  }

  @Override
  public void authFailure(String reason) {
    registry.counter("backchannel.auth.failures", "reason", word(reason)).increment();
  }

  @Override
  public void rateLimited(String limiter) {
    registry.counter("backchannel.rate.limited", "limiter", word(limiter)).increment();
  }

  @Override
  public void idempotentReplay() {
    registry.counter("backchannel.idempotent.replays").increment();
  }

  @Override
  public void streamOpened() {
    streamsOpen.incrementAndGet();
  }

  @Override
  public void streamClosed() {
    streamsOpen.decrementAndGet();
  }

  @Override
  public void streamCutSlow() {
    registry.counter("backchannel.streams.cut.slow").increment();
  }

  @Override
  public void eventsSent(int count) {
    add("backchannel.stream.events.sent", count);
  }

  @Override
  public void longPollWaiters(IntSupplier waiters) {
    longPollSources.add(waiters);
  }

  @Override
  public void webhookDelivery(String outcome) {
    registry.counter("backchannel.webhook.deliveries", "outcome", word(outcome)).increment();
  }

  @Override
  public void queueDepths(List<QueueDepth> depths) {
    queueUnclaimed.register(depths.stream()
        .map(d -> MultiGauge.Row.of(channel(d), d.unclaimed())).toList(), true);
    queueInFlight.register(depths.stream()
        .map(d -> MultiGauge.Row.of(channel(d), d.inFlight())).toList(), true);
    queueOldestAge.register(depths.stream()
        .map(d -> MultiGauge.Row.of(channel(d), d, this::oldestAgeSeconds)).toList(), true);
  }

  private double oldestAgeSeconds(QueueDepth depth) {
    return depth.oldestUnclaimed() == null ? 0
        : Math.max(0, Duration.between(depth.oldestUnclaimed(), clock.instant()).toMillis() / 1000.0);
  }

  private static Tags channel(QueueDepth depth) {
    return Tags.of("channel", depth.channel());
  }

  private int longPollWaiting() {
    int sum = 0;
    for (IntSupplier source : longPollSources) {
      sum += source.getAsInt();
    }
    return sum;
  }

  private void add(String counter, int count) {
    if (count > 0) {
      registry.counter(counter).increment(count);
    }
  }

  /** Label values from callers stay a closed, short vocabulary; anything else counts as other. */
  private static String word(String value) {
    return value != null && LABEL_WORD.matcher(value).matches() ? value : "other";
  }

  private void gauge(String name, String description, java.util.function.Supplier<Number> value) {
    Gauge.builder(name, value).description(description).strongReference(true).register(registry);
  }

  private MultiGauge queueGauge(String name, String description) {
    return MultiGauge.builder(name).description(description).register(registry);
  }

  /** Counters exist from the start, so rates and dashboards see a zero rather than no series. */
  private void preRegisterCounters() {
    for (String mode : List.of("broadcast", "claimable")) {
      registry.counter("backchannel.messages.posted", "mode", mode);
    }
    for (String result : List.of("claimed", "already_claimed", "conflict", "takeover")) {
      registry.counter("backchannel.claims", "result", result);
    }
    for (String counter : List.of("backchannel.leases.expired", "backchannel.redeliveries",
        "backchannel.dead.lettered", "backchannel.messages.archived", "backchannel.idempotent.replays",
        "backchannel.streams.cut.slow", "backchannel.stream.events.sent")) {
      registry.counter(counter);
    }
  }
}
