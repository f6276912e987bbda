package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.TestServer;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Liveness stays cheap; readiness checks the database and the single writer. */
@Timeout(30)
class HealthApiTest {
  @Test
  void readinessIsReadyWhileTheDatabaseAndTheWriterWork() {
    try (TestServer server = TestServer.start()) {
      Response ready = server.client().get("/health/ready").send();

      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.text("status")).isEqualTo("ready");
      assertThat(ready.text("database")).isEqualTo("ok");
      assertThat(ready.text("writer")).isEqualTo("ok");
      assertThat(ready.json().get("write_queue").asInt()).isZero();
      assertThat(server.client().get("/health").send().text("status")).isEqualTo("ok");
    }
  }

  @Test
  void readinessIs503AndWritesFailCleanlyOnceTheWriterHasStopped() throws Exception {
    Set<Thread> writersBefore = writerThreads();
    try (TestServer server = TestServer.start()) {
      ApiClient api = server.client();
      String key = api.mintKey("health-writer");
      Thread writer = writerThreads().stream().filter(t -> !writersBefore.contains(t)).findFirst().orElseThrow();

      writer.interrupt();
      writer.join(10_000);

      Response ready = api.get("/health/ready").send();
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.text("status")).isEqualTo("unavailable");
      assertThat(ready.text("writer")).isEqualTo("stopped");
      assertThat(ready.text("database")).isEqualTo("ok");
      Response write = api.post("/v1/channels", json("name", "after-writer", "mode", "broadcast")).key(key).send();
      assertThat(write.status()).isEqualTo(503);
      assertThat(write.error()).isEqualTo("storage_unavailable");
      assertThat(api.get("/health").send().status()).isEqualTo(200);
    }
  }

  private static Set<Thread> writerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("backchannel-writer") && t.isAlive())
        .collect(Collectors.toSet());
  }
}
