package dev.backchannel.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@link Metrics} on a Micrometer registry, exported as Prometheus text. Labels come from closed
 * sets only: route templates, status codes, channel modes, outcomes (contract §5.15).
 */
public final class MicrometerMetrics implements Metrics {
  private static final Duration[] REQUEST_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final MeterRegistry registry;
  private final DistributionSummary batchSize;
  private final Timer commitLatency;

  public MicrometerMetrics(MeterRegistry registry) {
    this.registry = registry;
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
  }

  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void request(String method, String route, int status, long nanos) {
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
    if (count > 0) {
      registry.counter("backchannel.leases.expired").increment(count);
    }
  }

  @Override
  public void messagesArchived(int count) {
    if (count > 0) {
      registry.counter("backchannel.messages.archived").increment(count);
    }
  }

  @Override
  public void authFailure(String reason) {
    registry.counter("backchannel.auth.failures", "reason", reason).increment();
  }

  @Override
  public void rateLimited(String limiter) {
    registry.counter("backchannel.rate.limited", "limiter", limiter).increment();
  }

  @Override
  public void idempotentReplay() {
    registry.counter("backchannel.idempotent.replays").increment();
  }

  @Override
  public void webhookDelivery(String outcome) {
    registry.counter("backchannel.webhook.deliveries", "outcome", outcome).increment();
  }
}
