package dev.backchannel.bench;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** What every scenario shares: the options, the lanes, a key, and the API calls scenarios set up with. */
final class BenchRun {
  static final int PAGE = 100;
  private static final long LIST_BUDGET_NANOS = 180_000_000_000L;

  final BenchOptions options;
  final BenchHttp http;
  private final PrintStream progress;
  private final String runId = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
  private final AtomicInteger labels = new AtomicInteger();
  private String key;

  BenchRun(BenchOptions options, BenchHttp http, PrintStream progress) {
    this.options = options;
    this.http = http;
    this.progress = progress;
  }

  void progress(String line) {
    progress.println(line);
    progress.flush();
  }

  /** {@code --key}, or a key minted for this run. */
  synchronized String key() {
    if (key == null) {
      key = options.key() != null ? options.key() : mintKey();
    }
    return key;
  }

  /** A new key ({@code POST /v1/keys}); a refusal names the setting or flag that would allow it. */
  String mintKey() {
    String label = "bench-" + runId + "-" + labels.incrementAndGet();
    Reply reply = call(POST, "/v1/keys", null, "{\"agent_label\":\"" + label + "\"}");
    if (reply.status() == 403) {
      throw new BenchException("key minting refused: 403 " + reply.errorCode() + " (" + Hints.MINTING_CLOSED + ")");
    }
    if (reply.status() == 429) {
      throw new BenchException("key minting refused: 429 " + reply.errorCode() + " (" + Hints.MINT_LIMIT + ")");
    }
    return reply.expect(201).json().path("key").asText();
  }

  /** A fresh channel named after the scenario; its id. */
  String channel(String scenario, String mode) {
    String name = "bench-" + scenario + "-" + runId + "-" + labels.incrementAndGet();
    return call(POST, "/v1/channels", key(), "{\"name\":\"" + name + "\",\"mode\":\"" + mode + "\"}")
        .expect(201).json().path("id").asText();
  }

  /** A blocking call from the main thread, on the first lane. */
  Reply call(HttpMethod method, String path, String key, String body) {
    return BenchHttp.await(http.lane(0).on(() -> http.lane(0).send(method, path, key, body)));
  }

  /** {@code {"content": …}} of exactly {@code size} bytes that starts with {@code tag} (distinct tags, distinct bodies). */
  static String postBody(String tag, int size) {
    StringBuilder content = new StringBuilder(size + 16).append(tag).append(' ');
    while (content.length() < size) {
      content.append('x');
    }
    return "{\"content\":\"" + content + "\"}";
  }

  static String messagesPath(String channel) {
    return "/v1/channels/" + channel + "/messages";
  }

  /** Posts {@code count} messages of {@code size} bytes with up to {@code connections} in flight; how many got 201. */
  long prefill(String channel, int count, int size) {
    progress("  prefilling " + count + " messages");
    AtomicInteger next = new AtomicInteger();
    String key = key();
    LoadLoop.Outcome outcome = LoadLoop.run(http, Math.min(options.connections(), 64), 0, Long.MAX_VALUE / 4,
        (worker, lane) -> {
          int n = next.getAndIncrement();
          if (n >= count) {
            return Future.succeededFuture(LoadLoop.Step.STOP);
          }
          return lane.send(POST, messagesPath(channel), key, postBody("m" + n, size))
              .map(reply -> {
                reply.expect(201);
                return LoadLoop.Step.DONE;
              });
        });
    if (outcome.errors().total() > 0) {
      throw new BenchException("prefill failed: " + outcome.errors().byLabel());
    }
    return outcome.done();
  }

  /**
   * Every live message of the channel, paging with {@code cursor}/{@code next_cursor} to the end:
   * how often each id was listed, and whether seqs rose strictly. {@code status} may be null.
   */
  Listing listAll(String channel, String status) {
    Listing listing = new Listing();
    String cursor = "0";
    long deadline = System.nanoTime() + LIST_BUDGET_NANOS;
    long lastSeq = 0;
    while (System.nanoTime() < deadline) {
      String query = "?limit=" + PAGE + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)
          + (status == null ? "" : "&status=" + status);
      JsonNode page = call(GET, messagesPath(channel) + query, key(), null).expect(200).json();
      for (JsonNode message : page.path("data")) {
        listing.times.merge(message.path("id").asText(), 1, Integer::sum);
        long seq = message.path("seq").asLong();
        listing.ordered &= seq > lastSeq;
        lastSeq = seq;
      }
      if (page.path("data").isEmpty()) {
        listing.complete = true;
        return listing;
      }
      cursor = page.path("next_cursor").asText();
    }
    return listing;
  }

  /** How often each message id was listed; {@code complete} once the last page was reached. */
  static final class Listing {
    final Map<String, Integer> times = new HashMap<>();
    boolean ordered = true;
    boolean complete;

    int size() {
      return times.size();
    }
  }

  /**
   * CPU time used so far by the servers (the sum of their {@code process_cpu_time_ns_total}; NaN if
   * not exported) and by the bench.
   */
  Cpu cpu() {
    double serverNanos = 0;
    for (int node = 0; node < http.servers(); node++) {
      serverNanos += metrics(http.lane(node)).value("process_cpu_time_ns_total");
    }
    return new Cpu(serverNanos, benchCpuNanos());
  }

  /** Two CPU clocks read at one moment. */
  record Cpu(double serverNanos, long benchNanos) {
    /**
     * Server and bench CPU time per operation since {@code this} was read, in microseconds: on a
     * shared machine these move far less with other load than rates do.
     */
    void perOperation(BenchRun run, Result result, long operations) {
      Cpu now = run.cpu();
      if (operations > 0) {
        result.figure("server_cpu_us_per_op", Double.isNaN(serverNanos) ? "not exported"
            : Result.round((now.serverNanos - serverNanos) / 1e3 / operations));
        result.figure("bench_cpu_us_per_op", Result.round((now.benchNanos - benchNanos) / 1e3 / operations));
      }
    }
  }

  private static long benchCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  /** One scrape of the first server's {@code /metrics}. */
  MetricsText metrics() {
    return metrics(http.lane(0));
  }

  private static MetricsText metrics(BenchHttp.Lane lane) {
    Reply reply = BenchHttp.await(lane.on(() -> lane.send(GET, "/metrics", null, null)));
    return MetricsText.parse(reply.expect(200).body().toString());
  }
}
