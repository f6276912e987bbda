package dev.backchannel.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Prints results as a table with a detail block per scenario, or as one JSON object. */
final class Report {
  private Report() {}

  static void json(PrintStream out, BenchOptions options, List<Result> results) {
    ObjectNode root = Reply.JSON.createObjectNode();
    root.put("url", options.urls().stream().map(Object::toString).collect(java.util.stream.Collectors.joining(",")));
    root.put("bench_jdk", System.getProperty("java.version"));
    root.put("cores", Runtime.getRuntime().availableProcessors());
    root.put("bench_threads", options.threads());
    root.put("warmup_seconds", options.warmupSeconds());
    root.put("duration_seconds", options.durationSeconds());
    root.put("load_average", loadAverage());
    results.forEach(result -> root.withArray("results").add(result.toJson()));
    Double ratio = publishToHealth(results);
    if (ratio != null) {
      root.putObject("ratios").put("publish/health", Result.round(ratio));
    }
    root.put("ok", results.stream().allMatch(result -> result.checkOk));
    try {
      out.println(Reply.JSON.writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void table(PrintStream out, BenchOptions options, List<Result> results) {
    out.printf("backchannel bench: %s, bench on JDK %s, %d cores, %d bench threads, %.1f s warmup + %.1f s, "
        + "load average %s%n%n", options.urls().stream().map(Object::toString).collect(java.util.stream.Collectors.joining(",")), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), options.threads(), options.warmupSeconds(),
        options.durationSeconds(), loadAverage());
    out.printf("%-13s %6s %19s %9s %9s %9s %9s %7s  %s%n", "scenario", "conns", "rate", "p50", "p90", "p99", "max",
        "errors", "check");
    for (Result result : results) {
      Histogram.Summary latency = result.latency;
      out.printf("%-13s %6d %19s %9s %9s %9s %9s %7d  %s%n", result.scenario, result.connections, rate(result),
          latency == null ? "-" : ms(latency.p50()), latency == null ? "-" : ms(latency.p90()),
          latency == null ? "-" : ms(latency.p99()), latency == null ? "-" : ms(latency.max()), result.errorCount(),
          result.checkOk ? "ok" : "FAILED");
    }
    Double ratio = publishToHealth(results);
    if (ratio != null) {
      out.printf("%npublish/health: %.2f%n", ratio);
    }
    for (Result result : results) {
      out.printf("%n%s%n  check: %s (%s)%n", result.scenario, result.checkOk ? "ok" : "FAILED", result.check);
      result.figures.forEach((name, value) -> out.printf("  %s: %s%n", name, figure(value)));
      for (Map.Entry<String, Long> error : result.errors.entrySet()) {
        out.printf("  error: %,d × %s%n", error.getValue(), error.getKey());
      }
      result.hints.forEach(hint -> out.printf("  hint: %s%n", hint));
    }
  }

  /** The 1, 5 and 15 minute load averages of this machine at the end of the run (Linux), else "n/a". */
  static String loadAverage() {
    try {
      String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** The publish rate over the health rate when both ran. */
  static Double publishToHealth(List<Result> results) {
    Result health = find(results, "health");
    Result publish = find(results, "publish");
    return health == null || publish == null || health.rate() == 0 ? null : publish.rate() / health.rate();
  }

  private static Result find(List<Result> results, String scenario) {
    return results.stream().filter(result -> result.scenario.equals(scenario)).findFirst().orElse(null);
  }

  private static String rate(Result result) {
    return result.seconds <= 0 ? String.format("%,d %s", result.operations, result.unit)
        : String.format("%,.0f %s", result.rate(), result.unit);
  }

  private static String ms(long micros) {
    return micros >= 100_000 ? String.format("%.0f ms", micros / 1000.0) : String.format("%.2f ms", micros / 1000.0);
  }

  private static String figure(Object value) {
    if (value instanceof Histogram.Summary summary) {
      return String.format("p50 %s, p90 %s, p99 %s, max %s (%,d values)", ms(summary.p50()), ms(summary.p90()),
          ms(summary.p99()), ms(summary.max()), summary.count());
    }
    if (value instanceof Long || value instanceof Integer) {
      return String.format("%,d", ((Number) value).longValue());
    }
    return String.valueOf(value);
  }
}
