package dev.backchannel.bench;

/**
 * Opens N idle streams and reads what they cost the server: heap and resident memory before and
 * after (see {@link HeapProbe}), divided by the streams opened. Holds them for the duration.
 * Check: all N opened, none ended while held, and the server counts exactly as many more open streams.
 */
final class CapacityScenario implements Scenario {
  @Override
  public Result run(BenchRun run) {
    BenchOptions options = run.options;
    int count = options.connections();
    String channel = run.channel("sse-capacity", "broadcast");
    Result result = new Result("sse-capacity", count);
    run.progress("  reading the server's memory before");
    HeapProbe.Sample before = HeapProbe.settle(run);
    run.progress("  opening " + count + " streams");
    try (Streams streams = new Streams(run, channel, count, (stream, id, event, data) -> { })) {
      long started = System.nanoTime();
      int opened = streams.open(count);
      result.seconds = (System.nanoTime() - started) / 1e9;
      result.operations = opened;
      result.unit = "streams/s";
      result.latency = streams.openLatency().summary();
      result.errors(streams.refusals);
      if (streams.stopReason != null) {
        result.hint(streams.stopReason);
      }
      sleep(options.durationSeconds());
      run.progress("  reading the server's memory with " + opened + " streams open");
      HeapProbe.Sample after = HeapProbe.settle(run);
      figures(result, before, after, opened, streams.keys);
      double counted = after.streamsOpen() - before.streamsOpen();
      boolean ok = opened == count && streams.endedEarly() == 0 && counted == opened;
      return result.check(ok, String.format("%,d of %,d streams opened, %,d ended while held, the server counts "
          + "%,.0f more open streams", opened, count, streams.endedEarly(), counted));
    }
  }

  private static void figures(Result result, HeapProbe.Sample before, HeapProbe.Sample after, int opened, int keys) {
    result.figure("streams_opened", opened).figure("keys_used", keys)
        .figure("heap_used_before_mb", mb(before.heapUsed())).figure("heap_used_after_mb", mb(after.heapUsed()))
        .figure("heap_retained_before_mb", mb(before.heapRetained()))
        .figure("heap_retained_after_mb", mb(after.heapRetained()))
        .figure("heap_retained_per_stream_bytes", perStream(after.heapRetained() - before.heapRetained(), opened))
        .figure("rss_before_mb", mb(before.rss())).figure("rss_after_mb", mb(after.rss()))
        .figure("rss_per_stream_bytes", perStream(after.rss() - before.rss(), opened))
        .figure("gc_before_each_reading", before.collected() && after.collected());
  }

  private static Object mb(double bytes) {
    return Double.isNaN(bytes) ? "not exported" : Result.round(bytes / HeapProbe.MB);
  }

  private static Object perStream(double bytes, int streams) {
    return Double.isNaN(bytes) || streams == 0 ? "n/a" : Math.round(bytes / streams);
  }

  static void sleep(double seconds) {
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
