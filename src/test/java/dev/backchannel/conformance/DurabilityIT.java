package dev.backchannel.conformance;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ServerProcess;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2xx means durable: messages answered 201 are all there after the server process is killed
 * with SIGKILL in the middle of a stream of writes (no shutdown hook, no drain, no checkpoint)
 * and started again on the same database file, with the shipped synchronous=FULL default.
 */
class DurabilityIT {
  private static final int WRITERS = 4;
  private static final int ACKNOWLEDGED_BEFORE_KILL = 150;
  private static final Map<String, String> NO_RATE_LIMIT = Map.of("BACKCHANNEL_RATE_LIMIT", "0");

  @TempDir
  Path directory;

  @Test
  @Timeout(120)
  void everyAcknowledgedMessageSurvivesAKill() throws Exception {
    Path db = directory.resolve("data").resolve("backchannel.db");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    String key;
    String channel;
    try (ServerProcess first = ServerProcess.start(db, directory, NO_RATE_LIMIT)) {
      ApiClient api = first.client();
      key = api.mintKey("durable");
      channel = api.post("/v1/channels", json("name", "durable", "mode", "claimable")).key(key).send().text("id");
      AtomicBoolean killed = new AtomicBoolean();
      ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
      try {
        for (int w = 0; w < WRITERS; w++) {
          int writer = w;
          writers.submit(() -> post(api, key, channel, writer, acknowledged, killed));
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && System.currentTimeMillis() < deadline) {
          Thread.sleep(2);
        }
        killed.set(true);
        assertThat(first.kill()).as("killed by SIGKILL").isEqualTo(137);
      } finally {
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(acknowledged).as(first.output()).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
    }

    try (ServerProcess second = ServerProcess.start(db, directory, NO_RATE_LIMIT)) {
      ApiClient api = second.client();
      assertThat(api.get("/v1/keys/me").key(key).send().status()).isEqualTo(200);
      Set<String> stored = new HashSet<>(readAll(api, key, channel));
      assertThat(stored).as(second.output()).containsAll(acknowledged);
      Response again = api.post("/v1/channels/" + channel + "/messages", json("content", "after restart"))
          .key(key).send();
      assertThat(again.status()).isEqualTo(201);
    }
  }

  /** Posts until the kill; records only what the server answered 201. */
  private static void post(ApiClient api, String key, String channel, int writer, Set<String> acknowledged,
      AtomicBoolean killed) {
    for (int i = 0; !killed.get() && i < 100_000; i++) {
      try {
        Response posted = api.post("/v1/channels/" + channel + "/messages", json("content", "w" + writer + "-" + i))
            .key(key).send();
        if (posted.status() == 201) {
          acknowledged.add(posted.json().get("message").get("id").asText());
        }
      } catch (UncheckedIOException e) {
        return;
      }
    }
  }

  private static List<String> readAll(ApiClient api, String key, String channel) {
    List<String> ids = new ArrayList<>();
    String cursor = "0";
    for (int page = 0; page < 10_000; page++) {
      Response response = api.get("/v1/channels/" + channel + "/messages?limit=100&cursor=" + cursor).key(key).send();
      JsonNode data = response.json().get("data");
      if (data.isEmpty()) {
        return ids;
      }
      data.forEach(m -> ids.add(m.get("id").asText()));
      cursor = data.get(data.size() - 1).get("seq").asText();
    }
    return ids;
  }
}
