package dev.backchannel.reliability;

import static dev.backchannel.testing.ApiClient.json;
import static dev.backchannel.testing.ApiTest.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.Await;
import dev.backchannel.testing.PostgresCluster;
import dev.backchannel.testing.SseClient;
import dev.backchannel.testing.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes on one PostgreSQL database, reached over real HTTP: the API behaves as
 * one server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ClusterIT {
  private static final int NODES = 3;
  private static final AtomicInteger LABELS = new AtomicInteger();
  private final List<ServerProcess> nodes = new ArrayList<>();
  private final List<ApiClient> apis = new ArrayList<>();

  @TempDir
  static Path directory;

  @BeforeAll
  void startNodes() {
    Map<String, String> env = Map.of("BACKCHANNEL_STORE", "postgres",
        "BACKCHANNEL_POSTGRES_URL", PostgresCluster.shared().createDatabase(),
        "BACKCHANNEL_RATE_LIMIT", "0", "BACKCHANNEL_KEY_MINT_LIMIT", "0");
    for (int i = 0; i < NODES; i++) {
      ServerProcess node = ServerProcess.start(directory.resolve("node" + i + ".db"), directory, env);
      nodes.add(node);
      apis.add(node.client());
    }
  }

  @AfterAll
  void stopNodes() throws InterruptedException {
    for (ServerProcess node : nodes) {
      node.close();
    }
    for (ServerProcess node : nodes) {
      assertThat(node.output()).doesNotContain("SEVERE");
    }
  }

  @Test
  void claimNextOverEveryNodeHandsEachOfAThousandTasksToExactlyOneClaimer() throws Exception {
    int tasks = 1_000;
    int claimers = 64;
    String owner = key(0);
    String channel = channel(owner, "claimable");
    parallel(8, worker -> {
      for (int i = worker; i < tasks; i += 8) {
        Response posted = node(i).post("/v1/channels/" + channel + "/messages", json("content", "task " + i))
            .key(owner).send();
        assertThat(posted.status()).as(posted.toString()).isEqualTo(201);
      }
    });
    List<String> keys = keys(claimers);

    Map<String, Integer> claimedBy = new ConcurrentHashMap<>();
    List<String> twice = new ArrayList<>();
    parallel(claimers, claimer -> {
      ApiClient api = node(claimer);
      for (int round = 0; round < tasks; round++) {
        Response next = api.post("/v1/channels/" + channel + "/claim-next", json("lease_seconds", 600))
            .key(keys.get(claimer)).send();
        if (next.status() == 204) {
          return;
        }
        assertThat(next.status()).as(next.toString()).isEqualTo(200);
        String id = next.json().get("message").get("id").asText();
        if (claimedBy.putIfAbsent(id, claimer) != null) {
          synchronized (twice) {
            twice.add(id);
          }
        }
      }
    });

    assertThat(twice).as("tasks handed out twice").isEmpty();
    assertThat(claimedBy).hasSize(tasks);
    assertThat(new HashSet<>(claimedBy.values()).size()).as("claimers that got work").isGreaterThan(NODES);
  }

  @Test
  void claimersRacingOnEveryNodeGetOneWinnerPerMessage() throws Exception {
    int claimers = 64;
    int messages = 15;
    String owner = key(1);
    String channel = channel(owner, "claimable");
    List<String> ids = new ArrayList<>();
    for (int m = 0; m < messages; m++) {
      ids.add(post(node(m), owner, channel, "race " + m));
    }
    List<String> keys = keys(claimers);

    int[][] status = new int[messages][claimers];
    CyclicBarrier together = new CyclicBarrier(claimers);
    parallel(claimers, claimer -> {
      for (int m = 0; m < messages; m++) {
        together.await(30, TimeUnit.SECONDS);
        status[m][claimer] = node(claimer).post("/v1/messages/" + ids.get(m) + "/claim", json())
            .key(keys.get(claimer)).send().status();
      }
    });

    for (int m = 0; m < messages; m++) {
      int winners = 0;
      for (int c = 0; c < claimers; c++) {
        assertThat(status[m][c]).as("message %d, claimer %d", m, c).isIn(200, 409);
        winners += status[m][c] == 200 ? 1 : 0;
      }
      assertThat(winners).as("winners of message %d", m).isEqualTo(1);
    }
  }

  @Test
  void aStreamThatReconnectsToRandomNodesSeesEveryMessageOnceInSeqOrder() throws Exception {
    int messages = 300;
    String owner = key(2);
    String channel = channel(owner, "broadcast");
    Set<String> posted = ConcurrentHashMap.newKeySet();
    ExecutorService posters = Executors.newFixedThreadPool(2);
    List<Future<?>> posting = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      int poster = p;
      posting.add(posters.submit(() -> {
        for (int i = poster; i < messages; i += 2) {
          posted.add(post(apis.get(poster), owner, channel, "from node " + poster + ": " + i));
        }
        return null;
      }));
    }

    Random random = new Random(7);
    List<SseClient.Frame> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (seen.size() < messages && System.nanoTime() < deadline) {
      String base = nodes.get(random.nextInt(NODES)).baseUrl();
      String from = seen.isEmpty() ? "0" : seen.get(seen.size() - 1).id();
      try (SseClient sse = SseClient.open(base + "/v1/channels/" + channel + "/stream",
          Map.of("X-API-Key", owner, "Last-Event-ID", from))) {
        assertThat(sse.status()).isEqualTo(200);
        seen.addAll(sse.take(1 + random.nextInt(60), Duration.ofSeconds(2)));
      }
    }
    for (Future<?> done : posting) {
      done.get(60, TimeUnit.SECONDS);
    }
    posters.shutdown();

    List<Long> seqs = seen.stream().map(SseClient.Frame::seq).toList();
    assertThat(seqs).as("strictly increasing").isSorted().doesNotHaveDuplicates();
    Set<String> ids = new HashSet<>();
    for (SseClient.Frame frame : seen) {
      ids.add(ApiClient.JSON.readTree(frame.data()).get("id").asText());
    }
    assertThat(ids).hasSize(seen.size()).isEqualTo(posted);
  }

  @Test
  void liveStreamsOnOneNodeGetMessagesPostedOnTheOthersInOrder() throws Exception {
    String owner = key(3);
    String channel = channel(owner, "broadcast");
    try (SseClient sse = SseClient.open(nodes.get(2).baseUrl() + "/v1/channels/" + channel + "/stream",
        Map.of("X-API-Key", owner))) {
      assertThat(sse.status()).isEqualTo(200);
      List<String> posted = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        posted.add(post(apis.get(i % 2), owner, channel, "live " + i));
      }
      List<SseClient.Frame> frames = sse.take(posted.size(), Duration.ofSeconds(20));
      List<String> ids = new ArrayList<>();
      for (SseClient.Frame frame : frames) {
        ids.add(ApiClient.JSON.readTree(frame.data()).get("id").asText());
      }
      assertThat(ids).isEqualTo(posted);
    }
  }

  @Test
  void aKeyRevokedOnOneNodeIsRefusedOnAnotherWithinASecond() {
    String key = key(4);
    assertThat(apis.get(1).get("/v1/keys/me").key(key).send().status()).as("cached on node B").isEqualTo(200);

    assertThat(apis.get(0).delete("/v1/keys/me").key(key).send().status()).isEqualTo(200);

    Await.until("node B refuses the revoked key", Duration.ofSeconds(1),
        () -> apis.get(1).get("/v1/keys/me").key(key).send().status() == 401);
    expectError(apis.get(2).get("/v1/keys/me").key(key).send(), 401, "unauthorized");
  }

  @Test
  void aChannelDeletedOnOneNodeIsGoneOnTheOthersWithinASecond() {
    String owner = key(5);
    String channel = channel(owner, "broadcast");
    assertThat(apis.get(1).get("/v1/channels/" + channel).key(owner).send().status()).isEqualTo(200);

    assertThat(apis.get(0).delete("/v1/channels/" + channel).key(owner).send().status()).isEqualTo(204);

    Await.until("node B no longer finds the channel", Duration.ofSeconds(1),
        () -> apis.get(1).get("/v1/channels/" + channel).key(owner).send().status() == 404);
    expectError(apis.get(1).post("/v1/channels/" + channel + "/messages", json("content", "late"))
        .key(owner).send(), 404, "channel_not_found");
  }

  private ApiClient node(int i) {
    return apis.get(i % NODES);
  }

  private String key(int i) {
    return node(i).mintKey("cluster-" + LABELS.incrementAndGet());
  }

  /** {@code count} keys, minted round-robin on the nodes. */
  private List<String> keys(int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(key(i));
    }
    return keys;
  }

  private String channel(String key, String mode) {
    Response created = apis.get(0).post("/v1/channels", json("name", "cluster-" + LABELS.incrementAndGet(),
        "mode", mode)).key(key).send();
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private static String post(ApiClient api, String key, String channel, String content) {
    Response posted = api.post("/v1/channels/" + channel + "/messages", json("content", content)).key(key).send();
    assertThat(posted.status()).as(posted.toString()).isEqualTo(201);
    return posted.json().get("message").get("id").asText();
  }

  private interface Worker {
    void run(int index) throws Exception;
  }

  private static void parallel(int workers, Worker work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int index = w;
        done.add(pool.submit(() -> {
          work.run(index);
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
