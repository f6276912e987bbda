package dev.backchannel.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failed requests by label ({@code "429 rate_limit_exceeded"}, {@code "ConnectException: …"}); thread-safe. */
final class Tally {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  void add(Throwable failure) {
    add(BenchException.label(failure));
  }

  void add(String label) {
    counts.computeIfAbsent(label, k -> new LongAdder()).increment();
  }

  long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<String, Long> byLabel() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((label, count) -> out.put(label, count.sum()));
    return out;
  }
}
