package dev.backchannel.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void oneObjectPerLineWithFieldsAndTheError() throws Exception {
    LogRecord record = new LogRecord(Level.SEVERE, "request r-1 GET /v1/channels/{channel} failed\nsecond line");
    record.setLoggerName("dev.backchannel.http.FailureHandler");
    record.setInstant(Instant.parse("2026-04-06T14:00:00.123Z"));
    record.setParameters(new Object[] {LogFields.of("request_id", "r-1", "status", 500, "duration_ms", 1.5,
        "client_ip", null)});
    record.setThrown(new IllegalStateException("boom"));

    String line = new JsonLogFormatter().format(record);

    assertThat(line).endsWith(System.lineSeparator());
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = JSON.readTree(line);
    assertThat(json.get("time").asText()).isEqualTo("2026-04-06T14:00:00.123Z");
    assertThat(json.get("level").asText()).isEqualTo("SEVERE");
    assertThat(json.get("logger").asText()).isEqualTo("dev.backchannel.http.FailureHandler");
    assertThat(json.get("message").asText()).isEqualTo("request r-1 GET /v1/channels/{channel} failed\nsecond line");
    assertThat(json.get("request_id").asText()).isEqualTo("r-1");
    assertThat(json.get("status").isIntegralNumber()).isTrue();
    assertThat(json.get("duration_ms").asDouble()).isEqualTo(1.5);
    assertThat(json.has("client_ip")).isFalse();
    assertThat(json.get("error_class").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(json.get("error_message").asText()).isEqualTo("boom");
    assertThat(json.get("stack").asText()).contains("JsonLogFormatterTest");
  }

  @Test
  void aPlainRecordHasNoExtraFields() throws Exception {
    LogRecord record = new LogRecord(Level.INFO, "applied migration V001__init.sql");
    record.setLoggerName("dev.backchannel.store.sqlite.SqliteFiles");

    JsonNode json = JSON.readTree(new JsonLogFormatter().format(record));

    assertThat(json.size()).isEqualTo(4);
    assertThat(new TextLogFormatter().format(record)).contains(" INFO dev.backchannel.store.sqlite.SqliteFiles: "
        + "applied migration V001__init.sql");
  }
}
