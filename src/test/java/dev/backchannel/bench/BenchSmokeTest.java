package dev.backchannel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backchannel.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every scenario, briefly and small, through the entry point the command line uses, against the
 * real server: the JSON parses and every correctness check passes. No figure is asserted.
 */
@Timeout(120)
class BenchSmokeTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    // A low per-key stream limit, so the stream scenarios must mint keys as they go.
    server = TestServer.start(Map.of("stream_max_per_key", "8"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void loadScenariosRunAndTheirChecksPass() throws Exception {
    Run run = bench(server, "--scenario", "health,publish,poll,claim-race,claim-next,claim-chain,longpoll",
        "--connections", "4", "--messages", "200", "--warmup", "0");

    assertThat(run.exit).as(run.output).isZero();
    assertThat(run.scenarios()).containsExactly("health", "publish", "poll", "claim-race", "claim-next", "claim-chain",
        "longpoll");
    for (JsonNode result : run.json.path("results")) {
      assertThat(result.path("check").path("ok").asBoolean()).as(result.toString()).isTrue();
      assertThat(result.path("operations").asLong()).as(result.toString()).isPositive();
      assertThat(result.path("latency_ms").path("p50").isNumber()).isTrue();
    }
    assertThat(run.json.path("ratios").path("publish/health").isNumber()).isTrue();
    assertThat(run.result("claim-next").path("figures").path("conflicts_409").asLong()).isZero();
    assertThat(run.result("claim-chain").path("figures").path("conflicts_409").asLong()).isZero();
  }

  @Test
  void streamScenariosRunAcrossSeveralKeys() throws Exception {
    Run run = bench(server, "--scenario", "sse-fanout,sse-capacity", "--connections", "20");

    assertThat(run.exit).as(run.output).isZero();
    JsonNode fanout = run.result("sse-fanout");
    assertThat(fanout.path("check").path("ok").asBoolean()).as(fanout.toString()).isTrue();
    assertThat(fanout.path("figures").path("streams_opened").asInt()).isEqualTo(20);
    assertThat(fanout.path("figures").path("keys_used").asInt()).isEqualTo(3);
    assertThat(fanout.path("figures").path("per_stream_delivery_ms").path("count").asLong()).isPositive();
    JsonNode capacity = run.result("sse-capacity");
    assertThat(capacity.path("check").path("ok").asBoolean()).as(capacity.toString()).isTrue();
    assertThat(capacity.path("figures").path("heap_retained_after_mb").isNumber()).isTrue();
  }

  @Test
  void aRefusedStreamFailsTheCheckAndNamesTheSetting() throws Exception {
    try (TestServer capped = TestServer.start(Map.of("stream_max_total", "5"))) {
      Run run = bench(capped, "--scenario", "sse-capacity", "--connections", "8", "--duration", "0.2");

      assertThat(run.exit).isEqualTo(1);
      JsonNode capacity = run.result("sse-capacity");
      assertThat(capacity.path("check").path("ok").asBoolean()).isFalse();
      assertThat(capacity.path("figures").path("streams_opened").asInt()).isEqualTo(5);
      assertThat(capacity.path("hints").toString()).contains("BACKCHANNEL_STREAM_MAX_TOTAL");
    }
  }

  @Test
  void anUnknownScenarioIsAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = BenchCommand.run(List.of("--scenario", "nope"), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err), Map.of());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--scenario takes one or more of");
  }

  static Run bench(TestServer target, String... flags) throws Exception {
    List<String> argv = new ArrayList<>(List.of("--url", target.baseUrl(), "--duration", "1", "--json"));
    argv.addAll(List.of(flags));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = BenchCommand.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream()), Map.of());
    String output = out.toString(StandardCharsets.UTF_8);
    return new Run(exit, output, new ObjectMapper().readTree(output));
  }

  record Run(int exit, String output, JsonNode json) {
    List<String> scenarios() {
      List<String> names = new ArrayList<>();
      json.path("results").forEach(result -> names.add(result.path("scenario").asText()));
      return names;
    }

    JsonNode result(String scenario) {
      for (JsonNode result : json.path("results")) {
        if (result.path("scenario").asText().equals(scenario)) {
          return result;
        }
      }
      throw new AssertionError("no result for " + scenario + " in " + output);
    }
  }
}
