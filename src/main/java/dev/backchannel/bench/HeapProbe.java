package dev.backchannel.bench;

import static io.vertx.core.http.HttpMethod.GET;

/**
 * The server's memory as its {@code /metrics} tells it. A GC cannot be requested over HTTP, so the
 * probe makes one happen: it fetches {@code /openapi.json} (about 280 KB a response) until the
 * GC pause count rises (for at most 10 s; not at all if the server does not export it), then
 * reads the heap. "Retained" is the heap without the young
 * generation's eden, which right after a collection is what survived it.
 */
final class HeapProbe {
  static final long CHURN_BUDGET_NANOS = 10_000_000_000L;
  static final long MB = 1024 * 1024;

  /** One reading; {@code collected}: a GC ran just before it. NaN where the server does not export a figure. */
  record Sample(double heapUsed, double heapRetained, double rss, double streamsOpen, boolean collected) {}

  private HeapProbe() {}

  static Sample settle(BenchRun run) {
    MetricsText metrics = run.metrics();
    double pauses = metrics.value("jvm_gc_pause_seconds_count");
    long deadline = System.nanoTime() + CHURN_BUDGET_NANOS;
    boolean collected = false;
    while (!Double.isNaN(pauses) && !collected && System.nanoTime() < deadline) {
      LoadLoop.run(run.http, 4, 0, 100_000_000L, (worker, lane) -> lane.send(GET, "/openapi.json", null, null)
          .map(reply -> LoadLoop.Step.DONE));
      metrics = run.metrics();
      collected = metrics.value("jvm_gc_pause_seconds_count") > pauses;
    }
    double heap = metrics.sum("jvm_memory_used_bytes", "area=\"heap\"");
    double eden = metrics.sum("jvm_memory_used_bytes", "Eden");
    return new Sample(heap, Double.isNaN(eden) ? heap : heap - eden, metrics.value("process_resident_memory_bytes"),
        metrics.value("backchannel_streams_open"), collected);
  }
}
