package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.Await;
import dev.backchannel.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many workers drain one queue: every task acknowledged exactly once, and nobody loses a race. */
@Timeout(180)
class QueueDrainTest {
  static final int TASKS = 5_000;
  static final int WORKERS = 16;

  @Test
  void sixteenWorkersDrainFiveThousandTasksExactlyOnceWithoutConflicts() throws Exception {
    try (TestServer server = TestServer.start()) {
      ApiClient api = server.client();
      String key = api.mintKey("drainer");
      String queue = api.post("/v1/channels", json("name", "drain", "mode", "claimable")).key(key).send().text("id");
      postAll(api, key, queue);

      Map<String, Integer> acked = new ConcurrentHashMap<>();
      AtomicInteger conflicts = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        String actor = "worker-" + w;
        workers.add(pool.submit(() -> work(api, key, queue, actor, acked, conflicts)));
      }
      for (Future<?> worker : workers) {
        worker.get(150, TimeUnit.SECONDS);
      }
      pool.shutdown();

      assertThat(conflicts).hasValue(0);
      assertThat(acked).hasSize(TASKS);
      assertThat(acked.values()).allMatch(times -> times == 1);
      assertThat(api.post("/v1/channels/" + queue + "/claim-next", json()).key(key).send().status()).isEqualTo(204);
    }
  }

  private static void postAll(ApiClient api, String key, String queue) throws Exception {
    ExecutorService posters = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      int first = p;
      done.add(posters.submit(() -> {
        for (int i = first; i < TASKS; i += 4) {
          assertThat(api.post("/v1/channels/" + queue + "/messages", json("content", "task " + i)).key(key).send()
              .status()).isEqualTo(201);
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    posters.shutdown();
  }

  /** Claims with claim-next and acks with the fence until the queue answers 204. */
  private static Void work(ApiClient api, String key, String queue, String actor, Map<String, Integer> acked,
      AtomicInteger conflicts) {
    while (true) {
      Response claimed = api.post("/v1/channels/" + queue + "/claim-next", json("actor", actor)).key(key).send();
      if (claimed.status() == 204) {
        return null;
      }
      if (claimed.status() != 200) {
        conflicts.incrementAndGet();
        continue;
      }
      JsonNode message = claimed.json().get("message");
      Response ack = api.post("/v1/messages/" + message.get("id").asText() + "/ack",
          json("actor", actor, "fence", claimed.json().get("fence").asLong())).key(key).send();
      if (ack.status() != 200 || !"acknowledged".equals(ack.text("status"))) {
        conflicts.incrementAndGet();
      }
      acked.merge(message.get("id").asText(), 1, Integer::sum);
    }
  }

  @Test
  void priorityOrderAndDelayedVisibilitySurviveARestart() throws Exception {
    try (TestServer server = TestServer.start()) {
      ApiClient api = server.client();
      String key = api.mintKey("restarter");
      String queue = api.post("/v1/channels", json("name", "r", "mode", "claimable")).key(key).send().text("id");
      api.post("/v1/channels/" + queue + "/messages", json("content", "later", "priority", 9, "delay_seconds", 120))
          .key(key).send();
      api.post("/v1/channels/" + queue + "/messages", json("content", "low", "priority", 1)).key(key).send();
      api.post("/v1/channels/" + queue + "/messages", json("content", "high", "priority", 8)).key(key).send();

      server.restart();
      api = server.client();
      assertThat(next(api, key, queue)).isEqualTo("high");
      assertThat(next(api, key, queue)).isEqualTo("low");
      assertThat(api.post("/v1/channels/" + queue + "/claim-next", json()).key(key).send().status()).isEqualTo(204);

      server.clock().advance(Duration.ofSeconds(121));
      ApiClient client = api;
      String late = Await.value("the delayed message to come due", () -> {
        Response r = client.post("/v1/channels/" + queue + "/claim-next", json()).key(key).send();
        return r.status() == 200 ? r.json().get("message").get("content").asText() : null;
      });
      assertThat(late).isEqualTo("later");
    }
  }

  private static String next(ApiClient api, String key, String queue) {
    return api.post("/v1/channels/" + queue + "/claim-next", json()).key(key).send().json().get("message")
        .get("content").asText();
  }
}
