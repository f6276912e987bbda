package dev.backchannel.reliability;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.reliability.CrashWorkload.Keyed;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ServerProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server, on a database with the shipped {@code synchronous=FULL}, killed with
 * SIGKILL at random moments under concurrent publishers, claimers (claim, claim-with-lease,
 * claim-next) and ackers, then started again on the same file, over and over. After every kill
 * the file passes {@code PRAGMA integrity_check}; after every restart everything the server
 * acknowledged is still true ({@link Ledger}), sequence numbers keep growing, and a post retried
 * with its {@code Idempotency-Key} has exactly one effect and, if its first answer arrived, replays
 * that answer byte for byte. Seed and cycle count:
 * {@code -Dreliability.crash.seed=…}, {@code -Dreliability.crash.cycles=…} (default 10).
 */
class CrashDurabilityIT {
  private static final Map<String, String> ENV = Map.of(
      "BACKCHANNEL_RATE_LIMIT", "0", "BACKCHANNEL_KEY_MINT_LIMIT", "0");
  private static final int ANSWERS_BEFORE_KILL = 20;
  private static final int REPLAYS_PER_CYCLE = 10;
  private static final int STALE_ACKS_PER_CYCLE = 10;

  @TempDir
  Path directory;

  private final Ledger ledger = new Ledger();
  private final List<String> messageIds = new ArrayList<>();
  private final Map<String, Keyed> keyed = new ConcurrentHashMap<>();
  private String publisherKey;
  private final Map<String, String> workerKeys = new HashMap<>();
  private String channel;
  private final Map<String, Integer> retryOutcomes = new java.util.TreeMap<>();

  @Test
  @Timeout(600)
  void acknowledgedWorkSurvivesRepeatedKills() throws Exception {
    long seed = Seeds.seed("reliability.crash.seed", "CrashDurabilityIT");
    int cycles = Seeds.count("reliability.crash.cycles", 10);
    Random random = new Random(seed);
    Path db = directory.resolve("data").resolve("backchannel.db");
    for (int cycle = 0; cycle <= cycles; cycle++) {
      try (ServerProcess server = ServerProcess.start(db, directory, ENV)) {
        ApiClient api = server.client();
        if (cycle == 0) {
          setUp(api);
        } else {
          checkRecovered(api, cycle, server);
        }
        if (cycle < cycles) {
          runUntilKilled(api, server, random, cycle);
        }
      }
      assertThat(integrityCheck(db)).as("integrity_check after kill %d (seed %d)", cycle, seed).isEqualTo("ok");
    }
    System.out.printf("CrashDurabilityIT: %d kills; acknowledged %d posts, %d claims, %d acks; cut-off keyed posts"
        + " retried: %s%n", cycles, ledger.posts.size(), ledger.claims.size(), ledger.acks.size(), retryOutcomes);
    assertThat(ledger.claims).as("claims acknowledged over the run").isNotEmpty();
    assertThat(ledger.acks).as("acks acknowledged over the run").isNotEmpty();
  }

  private void setUp(ApiClient api) {
    publisherKey = api.mintKey("crash-publisher");
    CrashWorkload.WORKERS.forEach(worker -> workerKeys.put(worker, api.mintKey("crash-" + worker)));
    Response created = api.post("/v1/channels", json("name", "crash-work", "mode", "claimable")).key(publisherKey)
        .send();
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    channel = created.text("id");
  }

  private void runUntilKilled(ApiClient api, ServerProcess server, Random random, int cycle) throws Exception {
    CrashWorkload workload = new CrashWorkload(api, channel, publisherKey, workerKeys, ledger, messageIds, keyed);
    workload.start(random.nextLong(), cycle);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (workload.answered() < ANSWERS_BEFORE_KILL && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Thread.sleep(random.nextInt(1_500));
    assertThat(server.kill()).as("exit status of SIGKILL").isEqualTo(137);
    workload.stop();
    assertThat(workload.failures()).as(server.output()).isEmpty();
    assertThat(workload.answered()).as("answers in cycle %d", cycle).isGreaterThanOrEqualTo(ANSWERS_BEFORE_KILL);
  }

  private void checkRecovered(ApiClient api, int cycle, ServerProcess server) {
    Map<String, JsonNode> stored = readAll(api);
    Instant checkedAt = Instant.now();
    assertThat(ledger.violations(stored, checkedAt)).as("broken promises after kill %d", cycle).isEmpty();
    staleFencesAreRefused(api, stored);
    retryIdempotentPosts(api);
    Map<String, JsonNode> after = readAll(api);
    long highest = after.values().stream().mapToLong(m -> m.get("seq").asLong()).max().orElse(0);
    Response marker = api.post("/v1/channels/" + channel + "/messages", json("content", "restart " + cycle))
        .key(publisherKey).send();
    assertThat(marker.status()).as(marker.toString()).isEqualTo(201);
    assertThat(marker.json().get("message").get("seq").asLong()).as("seq after restart %d", cycle)
        .isGreaterThan(highest).isGreaterThan(ledger.maxSeq());
    ledger.posted(marker.json().get("message"));
    assertThat(server.output()).doesNotContain("SEVERE");
  }

  /** Extensions §4: a worker whose lease was taken over cannot ack with its old fence. */
  private void staleFencesAreRefused(ApiClient api, Map<String, JsonNode> stored) {
    int checked = 0;
    for (Ledger.Claim claim : ledger.claims) {
      JsonNode now = stored.get(claim.messageId());
      if (checked < STALE_ACKS_PER_CYCLE && now != null && now.get("fence").asLong() > claim.fence()) {
        Response refused = api.post("/v1/messages/" + claim.messageId() + "/ack",
            json("actor", claim.worker(), "fence", claim.fence())).key(workerKeys.get(claim.worker())).send();
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.error()).isEqualTo("stale_claim");
        checked++;
      }
    }
  }

  /**
   * Posts the kill cut off are retried with their key: the first attempt may or may not have
   * committed, the retry must not make it two. Some answered posts are retried too: they replay.
   */
  private void retryIdempotentPosts(ApiClient api) {
    List<Keyed> retried = new ArrayList<>();
    int replays = 0;
    for (Keyed post : List.copyOf(keyed.values())) {
      boolean cutOff = post.answeredId() == null;
      if (!cutOff && replays++ >= REPLAYS_PER_CYCLE) {
        continue;
      }
      Response again = api.post("/v1/channels/" + channel + "/messages", json("content", post.content()))
          .key(publisherKey).header("Idempotency-Key", post.key()).send();
      if (cutOff) {
        // The record commits with the write: the kill either lost both (the retry posts now) or
        // neither (the retry replays), never the response alone.
        assertThat(again.status()).as("retry of a cut-off post: %s", again).isEqualTo(201);
        retryOutcomes.merge(again.status() + ("true".equals(again.header("X-Idempotent-Replay")) ? " replay" : ""), 1,
            Integer::sum);
        ledger.posted(again.json().get("message"));
      } else {
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.header("X-Idempotent-Replay")).isEqualTo("true");
        assertThat(again.body()).as("replay after a restart, byte for byte").isEqualTo(post.answeredBody());
      }
      retried.add(post);
      keyed.remove(post.key());
    }
    Map<String, Integer> copies = new HashMap<>();
    readAll(api).values().forEach(m -> copies.merge(m.get("content").asText(), 1, Integer::sum));
    for (Keyed post : retried) {
      assertThat(copies.getOrDefault(post.content(), 0)).as("messages with content %s after retrying key %s",
          post.content(), post.key()).isEqualTo(1);
    }
  }

  private Map<String, JsonNode> readAll(ApiClient api) {
    Map<String, JsonNode> messages = new LinkedHashMap<>();
    long cursor = 0;
    for (int page = 0; page < 10_000; page++) {
      Response response = api.get("/v1/channels/" + channel + "/messages?limit=100&cursor=" + cursor)
          .key(publisherKey).send();
      assertThat(response.status()).as(response.toString()).isEqualTo(200);
      JsonNode data = response.json().get("data");
      if (data.isEmpty()) {
        break;
      }
      data.forEach(m -> messages.put(m.get("id").asText(), m));
      cursor = data.get(data.size() - 1).get("seq").asLong();
    }
    return messages;
  }

  /** Opens the file of a dead server with the SQLite driver, as an operator would after a crash. */
  static String integrityCheck(Path db) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
      StringBuilder out = new StringBuilder();
      while (result.next()) {
        out.append(out.length() == 0 ? "" : "\n").append(result.getString(1));
      }
      return out.toString();
    }
  }
}
