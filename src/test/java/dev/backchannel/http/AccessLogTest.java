package dev.backchannel.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backchannel.ops.JsonLogFormatter;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.Await;
import dev.backchannel.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One access-log line per request, with the route template and request id, never secrets. */
@Timeout(30)
class AccessLogTest {
  static final String SECRET_QUERY = "stream-token-s3cr3t";
  static final String SECRET_KEY = "bck_accesslogkey.not-a-real-secret";

  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void listen() {
    AccessLog.LOG.setLevel(Level.INFO);
    AccessLog.LOG.setUseParentHandlers(false);
    AccessLog.LOG.addHandler(capture);
  }

  @AfterEach
  void restore() {
    AccessLog.LOG.removeHandler(capture);
    AccessLog.LOG.setUseParentHandlers(true);
    AccessLog.LOG.setLevel(null);
  }

  @Test
  void eachRequestIsOneLineWithTheRouteTemplateAndNoSecrets() throws Exception {
    try (TestServer server = TestServer.start()) {
      ApiClient api = server.client();
      ApiClient.Response response = api.get("/v1/channels/some-channel/messages?token=" + SECRET_QUERY)
          .key(SECRET_KEY).send();
      awaitRecords(1);

      assertThat(records).hasSize(1);
      LogRecord record = records.get(0);
      JsonNode json = new ObjectMapper().readTree(new JsonLogFormatter().format(record));
      assertThat(json.get("logger").asText()).isEqualTo("backchannel.access");
      assertThat(json.get("method").asText()).isEqualTo("GET");
      assertThat(json.get("route").asText()).isEqualTo("/v1/channels/{channel}/messages");
      assertThat(json.get("status").asInt()).isEqualTo(401);
      assertThat(json.get("request_id").asText()).isEqualTo(response.header("X-Request-Id"));
      assertThat(json.get("client_ip").asText()).isEqualTo("127.0.0.1");
      assertThat(json.get("duration_ms").isNumber()).isTrue();
      assertThat(json.toString()).doesNotContain(SECRET_QUERY).doesNotContain(SECRET_KEY).doesNotContain("some-channel");
    }
  }

  @Test
  void theAccessLogCanBeTurnedOff() throws Exception {
    try (TestServer server = TestServer.start(Map.of("access_log", "false"))) {
      server.client().get("/health").send();
      server.client().get("/health").send();
      // Metrics count a request in the same end handler, just before the access log would.
      Await.requestsAnswered(server, "/health", 2);

      assertThat(records).isEmpty();
    }
  }

  /** The end handler runs just after the response is written, so the client may see it first. */
  private void awaitRecords(int count) {
    Await.until(count + " access log records", () -> records.size() >= count);
  }
}
