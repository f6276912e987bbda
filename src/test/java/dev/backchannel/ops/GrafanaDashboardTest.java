package dev.backchannel.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/grafana/backchannel.json is importable and only queries metrics the guide documents. */
class GrafanaDashboardTest {
  static final Pattern METRIC = Pattern.compile("\\b(backchannel_[a-z_]+?)(_bucket|_sum|_count)?\\{");

  @Test
  void everyPanelQueriesADocumentedBackchannelMetric() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Path.of("docs", "grafana", "backchannel.json").toFile());
    String guide = Files.readString(Path.of("docs", "operations.md"));
    Set<String> used = new TreeSet<>();
    int queried = 0;

    assertThat(dashboard.get("title").asText()).isEqualTo("Backchannel");
    for (JsonNode panel : dashboard.get("panels")) {
      if (panel.get("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
      for (JsonNode target : panel.get("targets")) {
        Matcher metric = METRIC.matcher(target.get("expr").asText());
        while (metric.find()) {
          used.add(metric.group(1));
        }
        queried++;
      }
    }

    assertThat(queried).isGreaterThan(20);
    assertThat(used).contains("backchannel_requests_total", "backchannel_request_duration_seconds",
        "backchannel_writer_batch_size", "backchannel_writer_commit_seconds", "backchannel_queue_unclaimed",
        "backchannel_streams_open", "backchannel_auth_failures_total", "backchannel_rate_limited_total");
    for (String name : used) {
      assertThat(guide).as(name).contains("`" + name + "`");
    }
  }
}
