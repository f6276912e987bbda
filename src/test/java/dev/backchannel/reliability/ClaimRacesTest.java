package dev.backchannel.reliability;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exactly-once ownership under contention, over real HTTP: every contested message has one
 * winner and every loser is told so; a claim and a retraction never both succeed; the TTL edge
 * is sharp; and once a lease lapses, either the old holder's heartbeat or the new claim wins,
 * never both, and the loser's fence is refused afterwards.
 */
class ClaimRacesTest extends ApiTest {
  private static final int CLAIMERS = 64;
  private static final int CONTESTED = 1_000;
  private static final int KEYS = 8;
  private static final int PAIRS = 100;
  private static final int LEASE_SECONDS = 30;

  private final ExecutorService pool = Executors.newFixedThreadPool(CLAIMERS);
  private final ExecutorService clientThreads = Executors.newFixedThreadPool(4);
  private final HttpClient async = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .executor(clientThreads).build();

  @AfterAll
  void stopPool() {
    pool.shutdownNow();
    clientThreads.shutdownNow();
  }

  @Test
  @Timeout(120)
  void sixtyFourClaimersOnEachOfAThousandMessagesMakeExactlyOneWinner() throws Exception {
    String owner = newKey();
    String channel = claimableChannel(owner);
    List<String> messages = postMany(owner, channel, CONTESTED);
    List<String> keys = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      keys.add(newKey());
    }
    long started = System.nanoTime();
    int[][] statuses = new int[CONTESTED][CLAIMERS];
    String[][] errors = new String[CONTESTED][CLAIMERS];
    // 64 requests in flight at any moment, sent message by message: all 64 claimers of a message
    // contend at once. An asynchronous client keeps that within a few threads.
    Semaphore inFlight = new Semaphore(CLAIMERS);
    for (int m = 0; m < CONTESTED; m++) {
      for (int c = 0; c < CLAIMERS; c++) {
        int message = m;
        int claimer = c;
        String verb = c % 2 == 0 ? "/claim" : "/claim-with-lease";
        inFlight.acquire();
        async.sendAsync(claimRequest(messages.get(m) + verb, keys.get(c % KEYS), "claimer-" + c),
            HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
              statuses[message][claimer] = failure != null ? -1 : response.statusCode();
              errors[message][claimer] = failure != null ? failure.toString() : response.body();
              inFlight.release();
            });
      }
    }
    assertThat(inFlight.tryAcquire(CLAIMERS, 60, TimeUnit.SECONDS)).as("every claim answered").isTrue();
    System.out.printf("claim race: %d claims in %.1f s%n", CONTESTED * CLAIMERS, (System.nanoTime() - started) / 1e9);

    Map<String, JsonNode> stored = listAll(owner, channel);
    for (int m = 0; m < CONTESTED; m++) {
      int winner = -1;
      for (int c = 0; c < CLAIMERS; c++) {
        if (statuses[m][c] == 200) {
          assertThat(winner).as("message %d won by claimers %d and %d", m, winner, c).isEqualTo(-1);
          winner = c;
        } else {
          assertThat(statuses[m][c]).as(errors[m][c]).isEqualTo(409);
          assertThat(ApiClient.JSON.readTree(errors[m][c]).path("error").asText()).isEqualTo("already_claimed");
        }
      }
      assertThat(winner).as("a winner for message %d", m).isNotNegative();
      assertThat(stored.get(messages.get(m)).path("claimed_by").path("name").asText())
          .isEqualTo("claimer-" + winner);
      assertThat(stored.get(messages.get(m)).get("fence").asLong()).isEqualTo(1);
    }
  }

  @Test
  void aClaimAndARetractionNeverBothSucceed() throws Exception {
    String owner = newKey();
    String claimer = newKey();
    String channel = claimableChannel(owner);
    List<String> messages = postMany(owner, channel, PAIRS);
    List<Future<Response>> claims = new ArrayList<>();
    List<Future<Response>> retractions = new ArrayList<>();
    for (String id : messages) {
      claims.add(pool.submit(() -> api.post("/v1/messages/" + id + "/claim", json()).key(claimer).send()));
      retractions.add(pool.submit(() -> api.delete("/v1/messages/" + id).key(owner).send()));
    }
    List<Response> claimAnswers = new ArrayList<>();
    List<Response> retractAnswers = new ArrayList<>();
    for (int i = 0; i < PAIRS; i++) {
      claimAnswers.add(claims.get(i).get(30, TimeUnit.SECONDS));
      retractAnswers.add(retractions.get(i).get(30, TimeUnit.SECONDS));
    }
    Map<String, JsonNode> stored = listAll(owner, channel);
    int claimsWon = 0;
    for (int i = 0; i < PAIRS; i++) {
      Response claim = claimAnswers.get(i);
      Response retraction = retractAnswers.get(i);
      if (claim.status() == 200) {
        expectError(retraction, 409, "message_claimed");
        assertThat(stored.containsKey(messages.get(i))).as("claimed message %d is live", i).isTrue();
        claimsWon++;
      } else {
        assertThat(retraction.status()).as(retraction.toString()).isEqualTo(200);
        expectError(claim, 404, "message_not_found");
        assertThat(stored.containsKey(messages.get(i))).as("retracted message %d is live", i).isFalse();
      }
    }
    System.out.println("claim vs retract: claims won " + claimsWon + " of " + PAIRS);
  }

  @Test
  void theTtlEdgeIsSharpForEveryWayOfClaiming() {
    String key = newKey();
    String channel = claimableChannel(key, "ttl_seconds", 300);
    Instant postedAt = server.clock().instant();
    List<String> ids = postMany(key, channel, 6);
    List<Instant> expiries = listAll(key, channel).values().stream().map(m -> Ledger.time(m.get("expires_at")))
        .sorted().toList();
    assertThat(expiries.get(0)).isBetween(postedAt.plusSeconds(300), postedAt.plusSeconds(301));

    server.clock().set(expiries.get(0).minusNanos(1_000));
    assertThat(claim(key, ids.get(0), "/claim").status()).isEqualTo(200);
    assertThat(claim(key, ids.get(1), "/claim-with-lease").status()).isEqualTo(200);
    Response next = api.post("/v1/channels/" + channel + "/claim-next", json()).key(key).send();
    assertThat(next.status()).as(next.toString()).isEqualTo(200);

    server.clock().set(expiries.get(expiries.size() - 1));
    List<String> late = ids.stream().filter(id -> !id.equals(next.json().get("message").get("id").asText()))
        .skip(2).toList();
    expectError(claim(key, late.get(0), "/claim"), 410, "message_expired");
    expectError(claim(key, late.get(1), "/claim-with-lease"), 410, "message_expired");
    assertThat(api.post("/v1/channels/" + channel + "/claim-next", json()).key(key).send().status()).isEqualTo(204);
    expectError(api.post("/v1/messages/" + ids.get(0) + "/ack", json()).key(key).send(), 410, "message_expired");
  }

  @Test
  void afterALeaseLapsesEitherTheHeartbeatOrTheNewClaimWinsAndTheLoserIsFenced() throws Exception {
    String holderKey = newKey();
    String rivalKey = newKey();
    String channel = claimableChannel(holderKey);
    // Relative to each lease's expiry: just before (the heartbeat must win), exactly at and after
    // it (the claim must win), and after it with the sweep racing both.
    long[] offsetsMicros = {-1, 0, 1_000_000, 1_000_000};
    for (int round = 0; round < offsetsMicros.length; round++) {
      boolean sweep = round == offsetsMicros.length - 1;
      List<String> ids = postMany(holderKey, channel, 25);
      Map<String, JsonNode> leases = new HashMap<>();
      for (String id : ids) {
        Response lease = api.post("/v1/messages/" + id + "/claim-with-lease",
            json("actor", "holder", "lease_seconds", LEASE_SECONDS)).key(holderKey).send();
        assertThat(lease.status()).as(lease.toString()).isEqualTo(200);
        leases.put(id, lease.json());
      }
      Instant expiry = Ledger.time(leases.get(ids.get(0)).get("expires_at"));
      server.clock().set(expiry.plus(Duration.ofNanos(offsetsMicros[round] * 1_000)));
      raceHeartbeatsAndTakeovers(ids, leases, holderKey, rivalKey, offsetsMicros[round] < 0, sweep);
    }
  }

  private void raceHeartbeatsAndTakeovers(List<String> ids, Map<String, JsonNode> leases, String holderKey,
      String rivalKey, boolean beforeExpiry, boolean sweep) throws Exception {
    Map<String, Future<Response>> heartbeats = new HashMap<>();
    Map<String, Future<Response>> takeovers = new HashMap<>();
    for (String id : ids) {
      JsonNode lease = leases.get(id);
      heartbeats.put(id, pool.submit(() -> api.post("/v1/leases/" + lease.get("lease_token").asText() + "/heartbeat",
          json("lease_seconds", LEASE_SECONDS, "fence", lease.get("fence").asLong())).key(holderKey).send()));
      takeovers.put(id, pool.submit(() -> api.post("/v1/messages/" + id + "/claim-with-lease",
          json("actor", "rival", "lease_seconds", LEASE_SECONDS)).key(rivalKey).send()));
    }
    if (sweep) {
      server.releaseLeasesNow();
    }
    for (String id : ids) {
      Response heartbeat = heartbeats.get(id).get(30, TimeUnit.SECONDS);
      Response takeover = takeovers.get(id).get(30, TimeUnit.SECONDS);
      assertThat(heartbeat.status() == 200).as("exactly one of %s and %s", heartbeat, takeover)
          .isNotEqualTo(takeover.status() == 200);
      long oldFence = leases.get(id).get("fence").asLong();
      if (beforeExpiry) {
        assertThat(heartbeat.status()).as(heartbeat.toString()).isEqualTo(200);
        expectError(takeover, 409, "already_claimed");
      } else {
        expectError(heartbeat, 410, "lease_expired");
        assertThat(takeover.status()).as(takeover.toString()).isEqualTo(200);
        assertThat(takeover.json().get("fence").asLong()).isGreaterThan(oldFence);
        Response staleAck = api.post("/v1/messages/" + id + "/ack", json("actor", "holder", "fence", oldFence))
            .key(holderKey).send();
        expectError(staleAck, 409, "stale_claim");
      }
    }
  }

  private HttpRequest claimRequest(String path, String key, String actor) {
    return HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/messages/" + path))
        .timeout(Duration.ofSeconds(60))
        .header("X-API-Key", key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json("actor", actor).toString()))
        .build();
  }

  private Response claim(String key, String id, String verb) {
    return api.post("/v1/messages/" + id + verb, json()).key(key).send();
  }

  /** Posts {@code count} messages from a few threads at once; returns their ids in posting order. */
  private List<String> postMany(String key, String channel, int count) {
    return inParallel(count, i -> () -> postId(key, channel, "task " + i + " " + System.nanoTime()));
  }

  private <T> List<T> inParallel(int count, IntFunction<Callable<T>> task) {
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(pool.submit(task.apply(i)));
    }
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      try {
        results.add(future.get(60, TimeUnit.SECONDS));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return results;
  }

  private Map<String, JsonNode> listAll(String key, String channel) {
    Map<String, JsonNode> messages = new HashMap<>();
    long cursor = 0;
    for (int page = 0; page < 1_000; page++) {
      Response listed = api.get("/v1/channels/" + channel + "/messages?limit=100&cursor=" + cursor).key(key).send();
      JsonNode data = listed.json().get("data");
      if (data.isEmpty()) {
        return messages;
      }
      data.forEach(m -> messages.put(m.get("id").asText(), m));
      cursor = data.get(data.size() - 1).get("seq").asLong();
    }
    return messages;
  }
}
