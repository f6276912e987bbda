package dev.backchannel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code bench --scenario startup} launches the packaged jar, sees it ready, and stops it cleanly. */
@Timeout(120)
class BenchStartupIT {
  @Test
  void startupLaunchesTheJarAndReportsReadinessAndMemory() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = BenchCommand.run(List.of("--scenario", "startup", "--jar", System.getProperty("backchannel.jar"),
        "--runs", "1", "--json"), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream()), Map.of());
    JsonNode result = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).path("results").path(0);

    assertThat(exit).as(result.toString()).isZero();
    assertThat(result.path("check").path("ok").asBoolean()).isTrue();
    assertThat(result.path("figures").path("ready_ms").path("count").asInt()).isEqualTo(1);
    assertThat(result.path("figures").path("rss_idle_mb").path(0).asDouble()).isPositive();
  }
}
