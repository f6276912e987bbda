package dev.backchannel.reliability;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.Await;
import dev.backchannel.testing.PostgresCluster;
import dev.backchannel.testing.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes on one PostgreSQL database; one is killed with SIGKILL while it takes
 * writes. The survivor holds every write the dead one acknowledged, and hands out again the
 * tasks whose leases the dead one's workers held.
 */
class ClusterCrashIT {
  private static final int TASKS = 20;
  private static final int LEASED_ON_VICTIM = 8;
  private static final int LEASE_SECONDS = 30;

  @TempDir
  Path directory;

  @Test
  @Timeout(180)
  void killingANodeLosesNoAcknowledgedWriteAndItsLeasesComeBack() throws Exception {
    Map<String, String> env = Map.of("BACKCHANNEL_STORE", "postgres",
        "BACKCHANNEL_POSTGRES_URL", PostgresCluster.shared().createDatabase(),
        "BACKCHANNEL_RATE_LIMIT", "0", "BACKCHANNEL_KEY_MINT_LIMIT", "0",
        "BACKCHANNEL_LEASE_SWEEP_INTERVAL_SECONDS", "1");
    try (ServerProcess victim = ServerProcess.start(directory.resolve("a.db"), directory, env);
        ServerProcess survivor = ServerProcess.start(directory.resolve("b.db"), directory, env)) {
      ApiClient a = victim.client();
      ApiClient b = survivor.client();
      String key = a.mintKey("cluster-crash");
      String queue = channel(a, key, "claimable");
      String log = channel(a, key, "broadcast");
      for (int i = 0; i < TASKS; i++) {
        post(b, key, queue, "task " + i);
      }
      Set<String> leasedOnVictim = new HashSet<>();
      for (int i = 0; i < LEASED_ON_VICTIM; i++) {
        Response claimed = a.post("/v1/channels/" + queue + "/claim-next", json("lease_seconds", LEASE_SECONDS))
            .key(key).send();
        assertThat(claimed.status()).as(claimed.toString()).isEqualTo(200);
        leasedOnVictim.add(claimed.json().get("message").get("id").asText());
      }

      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService posters = Executors.newFixedThreadPool(4);
      List<Future<?>> running = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        int poster = p;
        running.add(posters.submit(() -> {
          for (int i = 0; !stop.get() && i < 100_000; i++) {
            try {
              Response posted = a.post("/v1/channels/" + log + "/messages", json("content", poster + "/" + i))
                  .key(key).send();
              if (posted.status() == 201) {
                acknowledged.add(posted.json().get("message").get("id").asText());
              }
            } catch (RuntimeException connectionLost) {
              return;
            }
          }
        }));
      }
      Await.until("the victim acknowledged some posts", Duration.ofSeconds(30), () -> acknowledged.size() >= 50);
      assertThat(victim.kill()).as("exit status of SIGKILL").isEqualTo(137);
      stop.set(true);
      for (Future<?> poster : running) {
        poster.get(30, TimeUnit.SECONDS);
      }
      posters.shutdown();

      assertThat(readAll(b, key, log)).as("every post the killed node acknowledged").containsAll(acknowledged);

      Set<String> handedOut = new HashSet<>();
      for (int i = 0; i < TASKS - LEASED_ON_VICTIM; i++) {
        handedOut.add(claimNext(b, key, queue));
      }
      assertThat(handedOut).as("the survivor first hands out what nobody held").doesNotContainAnyElementsOf(leasedOnVictim);
      Set<String> redelivered = new HashSet<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LEASE_SECONDS + 30);
      while (redelivered.size() < LEASED_ON_VICTIM && System.nanoTime() < deadline) {
        Response next = b.post("/v1/channels/" + queue + "/claim-next", json("lease_seconds", LEASE_SECONDS))
            .key(key).send();
        if (next.status() == 200) {
          redelivered.add(next.json().get("message").get("id").asText());
        } else {
          Thread.sleep(250);
        }
      }
      assertThat(redelivered).as("the killed node's leases, back in the pool").isEqualTo(leasedOnVictim);
      assertThat(survivor.output()).doesNotContain("SEVERE");
    }
  }

  private static String claimNext(ApiClient api, String key, String queue) {
    Response next = api.post("/v1/channels/" + queue + "/claim-next", json("lease_seconds", LEASE_SECONDS))
        .key(key).send();
    assertThat(next.status()).as(next.toString()).isEqualTo(200);
    return next.json().get("message").get("id").asText();
  }

  private static String channel(ApiClient api, String key, String mode) {
    Response created = api.post("/v1/channels", json("name", "crash-" + mode, "mode", mode)).key(key).send();
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private static void post(ApiClient api, String key, String channel, String content) {
    Response posted = api.post("/v1/channels/" + channel + "/messages", json("content", content)).key(key).send();
    assertThat(posted.status()).as(posted.toString()).isEqualTo(201);
  }

  private static Set<String> readAll(ApiClient api, String key, String channel) {
    Set<String> ids = new HashSet<>();
    long cursor = 0;
    for (int page = 0; page < 10_000; page++) {
      Response response = api.get("/v1/channels/" + channel + "/messages?limit=100&cursor=" + cursor).key(key).send();
      assertThat(response.status()).as(response.toString()).isEqualTo(200);
      var data = response.json().get("data");
      if (data.isEmpty()) {
        break;
      }
      data.forEach(m -> ids.add(m.get("id").asText()));
      cursor = data.get(data.size() - 1).get("seq").asLong();
    }
    return ids;
  }
}
