package dev.backchannel.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario measured: a rate, a latency distribution, extra figures, errors, and the
 * verdict of its correctness check. Built up by the scenario, printed by {@link Report}.
 */
final class Result {
  final String scenario;
  final int connections;
  String unit = "req/s";
  long operations;
  double seconds;
  Histogram.Summary latency;
  final Map<String, Object> figures = new LinkedHashMap<>();
  final Map<String, Long> errors = new LinkedHashMap<>();
  final List<String> hints = new ArrayList<>();
  boolean checkOk = true;
  String check = "not run";

  Result(String scenario, int connections) {
    this.scenario = scenario;
    this.connections = connections;
  }

  /** Takes the rate, latency and errors of a closed-loop run. */
  Result load(LoadLoop.Outcome outcome, String unit) {
    this.unit = unit;
    operations = outcome.done();
    seconds = outcome.seconds();
    latency = outcome.latency().summary();
    errors(outcome.errors());
    return this;
  }

  Result errors(Tally tally) {
    tally.byLabel().forEach((label, count) -> errors.merge(label, count, Long::sum));
    Hints.forErrors(errors.keySet()).forEach(this::hint);
    return this;
  }

  /** Adds a hint unless it is already there. */
  Result hint(String hint) {
    if (!hints.contains(hint)) {
      hints.add(hint);
    }
    return this;
  }

  Result figure(String name, Object value) {
    figures.put(name, value);
    return this;
  }

  Result check(boolean ok, String detail) {
    checkOk = ok;
    check = detail;
    return this;
  }

  double rate() {
    return seconds <= 0 ? 0 : operations / seconds;
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  ObjectNode toJson() {
    ObjectNode out = Reply.JSON.createObjectNode();
    out.put("scenario", scenario);
    out.put("connections", connections);
    out.put("operations", operations);
    out.put("seconds", round(seconds));
    out.put("rate", round(rate()));
    out.put("unit", unit);
    if (latency != null) {
      out.set("latency_ms", latencyJson(latency));
    }
    ObjectNode extra = out.putObject("figures");
    figures.forEach((name, value) -> {
      if (value instanceof Histogram.Summary summary) {
        extra.set(name, latencyJson(summary));
      } else {
        extra.putPOJO(name, value);
      }
    });
    out.put("errors", errorCount());
    ObjectNode byLabel = out.putObject("errors_by_kind");
    errors.forEach(byLabel::put);
    ObjectNode verdict = out.putObject("check");
    verdict.put("ok", checkOk);
    verdict.put("detail", check);
    hints.forEach(out.putArray("hints")::add);
    return out;
  }

  static ObjectNode latencyJson(Histogram.Summary summary) {
    ObjectNode out = Reply.JSON.createObjectNode();
    out.put("count", summary.count());
    out.put("p50", millis(summary.p50()));
    out.put("p90", millis(summary.p90()));
    out.put("p99", millis(summary.p99()));
    out.put("max", millis(summary.max()));
    out.put("mean", round(summary.mean() / 1000));
    return out;
  }

  static double millis(long micros) {
    return round(micros / 1000.0);
  }

  static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
