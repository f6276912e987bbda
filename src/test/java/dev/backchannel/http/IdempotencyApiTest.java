package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdempotencyApiTest extends ApiTest {

  private Response postWithKey(String key, String path, Object body, String idempotencyKey) {
    return api.post(path, body).key(key).header("Idempotency-Key", idempotencyKey).send();
  }

  private static String uniqueKey() {
    return "idem-" + UUID.randomUUID();
  }

  private int messageCount(String key, String channel) {
    return api.get("/v1/channels/" + channel + "/messages?limit=100").key(key).send().json().get("data").size();
  }

  @Test
  void anExplicitKeyReplaysTheFirstResponseWithReplayHeaders() {
    String key = newKey();
    String idem = uniqueKey();
    Response first = postWithKey(key, "/v1/channels", json("name", "once", "mode", "broadcast"), idem);
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.header("Idempotency-Key")).isEqualTo(idem);
    assertThat(first.header("X-Idempotency-Source")).isEqualTo("client");
    assertThat(first.header("X-Idempotent-Replay")).isNull();

    Response replay = postWithKey(key, "/v1/channels", json("name", "once", "mode", "broadcast"), idem);
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(replay.header("X-Idempotent-Replay")).isEqualTo("true");
    assertThat(replay.header("X-Idempotency-Source")).isEqualTo("client");
    assertThat(replay.header("Idempotency-Key")).isEqualTo(idem);
    assertThat(replay.header("X-RateLimit-Remaining")).isNull();
    assertThat(replay.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(replay.header("X-Request-Id")).isNotEqualTo(first.header("X-Request-Id"));
  }

  @Test
  void theSameExplicitKeyWithADifferentBodyReplaysTheFirst() {
    String key = newKey();
    String channel = broadcastChannel(key);
    String idem = uniqueKey();
    Response first = postWithKey(key, "/v1/channels/" + channel + "/messages", json("content", "first"), idem);
    Response second = postWithKey(key, "/v1/channels/" + channel + "/messages", json("content", "second"), idem);
    assertThat(second.status()).isEqualTo(201);
    assertThat(second.json().get("message").get("content").asText()).isEqualTo("first");
    assertThat(second.json().get("message").get("id").asText())
        .isEqualTo(first.json().get("message").get("id").asText());
    assertThat(messageCount(key, channel)).isEqualTo(1);
  }

  @Test
  void identicalPostsWithoutAKeyAreDeduplicated() {
    String key = newKey();
    String channel = broadcastChannel(key);
    Response first = api.post("/v1/channels/" + channel + "/messages", json("content", "same")).key(key).send();
    assertThat(first.header("X-Idempotency-Source")).isEqualTo("server-auto");
    assertThat(first.header("Idempotency-Key")).startsWith("auto-POST-").endsWith("/messages");
    Response again = api.post("/v1/channels/" + channel + "/messages", json("content", "same")).key(key).send();
    assertThat(again.header("X-Idempotent-Replay")).isEqualTo("true");
    assertThat(again.header("X-Idempotency-Source")).isEqualTo("server-auto");
    assertThat(again.body()).isEqualTo(first.body());
    Response different = api.post("/v1/channels/" + channel + "/messages", json("content", "other")).key(key).send();
    assertThat(different.header("X-Idempotent-Replay")).isNull();
    assertThat(messageCount(key, channel)).isEqualTo(2);

    Response invitation = api.post("/v1/channels/" + channel + "/invitations", json()).key(key).send();
    assertThat(api.post("/v1/channels/" + channel + "/invitations", json()).key(key).send().text("id"))
        .isEqualTo(invitation.text("id"));
  }

  @Test
  void aRepeatedDeleteReplaysItsEmpty204() {
    String key = newKey();
    String channel = broadcastChannel(key);
    assertThat(api.delete("/v1/channels/" + channel).key(key).send().status()).isEqualTo(204);
    Response again = api.delete("/v1/channels/" + channel).key(key).send();
    assertThat(again.status()).isEqualTo(204);
    assertThat(again.raw()).isEmpty();
    assertThat(again.header("X-Idempotent-Replay")).isEqualTo("true");
    assertThat(again.header("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void claimVerbsAreNeverDeduplicatedWithoutAKey() {
    String key = newKey();
    String channel = claimableChannel(key);
    String message = postId(key, channel, "claim twice");
    String claim = "/v1/messages/" + message + "/claim";
    String release = "/v1/messages/" + message + "/release";

    assertThat(api.post(claim, json("actor", "w")).key(key).send().text("status")).isEqualTo("claimed");
    assertThat(api.post(release, json("actor", "w")).key(key).send().text("status")).isEqualTo("released");
    Response reclaimed = api.post(claim, json("actor", "w")).key(key).send();
    assertThat(reclaimed.text("status")).isEqualTo("claimed");
    assertThat(reclaimed.header("X-Idempotent-Replay")).isNull();
    assertThat(reclaimed.header("X-Idempotency-Source")).isNull();
    Response released = api.post(release, json("actor", "w")).key(key).send();
    assertThat(released.status()).isEqualTo(200);
    assertThat(released.header("X-Idempotent-Replay")).isNull();
    expectError(api.post(release, json("actor", "w")).key(key).send(), 409, "not_claimed");

    String ack = "/v1/messages/" + message + "/ack";
    assertThat(api.post(ack, json()).key(key).send().text("status")).isEqualTo("acknowledged");
    assertThat(api.post(ack, json()).key(key).send().text("status")).isEqualTo("already_acknowledged");

    String leased = postId(key, channel, "lease twice");
    String lease = "/v1/messages/" + leased + "/claim-with-lease";
    String firstToken = api.post(lease, json("lease_seconds", 60)).key(key).send().text("lease_token");
    Response firstBeat = api.post("/v1/leases/" + firstToken + "/heartbeat", json()).key(key).send();
    server.clock().advance(Duration.ofSeconds(5));
    Response secondBeat = api.post("/v1/leases/" + firstToken + "/heartbeat", json()).key(key).send();
    assertThat(secondBeat.header("X-Idempotent-Replay")).isNull();
    assertThat(secondBeat.text("expires_at")).isNotEqualTo(firstBeat.text("expires_at"));
    api.post("/v1/messages/" + leased + "/release", json()).key(key).send();
    String secondToken = api.post(lease, json("lease_seconds", 60)).key(key).send().text("lease_token");
    assertThat(secondToken).isNotNull().isNotEqualTo(firstToken);
  }

  @Test
  void theClaimNextVerbIsNeverDeduplicatedWithoutAKey() {
    String key = newKey();
    String channel = claimableChannel(key);
    String first = postId(key, channel, "one");
    String second = postId(key, channel, "two");
    JsonNode a = api.post("/v1/tasks/claim", json("channel", channel)).key(key).send().json();
    JsonNode b = api.post("/v1/tasks/claim", json("channel", channel)).key(key).send().json();
    assertThat(List.of(a.get("claimed").get("id").asText(), b.get("claimed").get("id").asText()))
        .containsExactly(first, second);
  }

  @Test
  void repeatableVerbsAreNeverDeduplicatedWithoutAKey() {
    String key = newKey();
    String channel = broadcastChannel(key);
    JsonNode empty = api.post("/v1/tasks/subscribe", json("channel", channel, "since", "0")).key(key).send().json();
    assertThat(empty.get("data")).isEmpty();
    String posted = postId(key, channel, "news");
    JsonNode page = api.post("/v1/tasks/subscribe", json("channel", channel, "since", "0")).key(key).send().json();
    assertThat(page.get("data").get(0).get("id").asText()).isEqualTo(posted);

    api.post("/v1/keys/me/stream-tokens", json()).key(key).send();
    assertThat(api.post("/v1/keys/me/stream-tokens", json()).key(key).send().header("X-Idempotent-Replay")).isNull();

    api.post("/v1/channels/" + channel + "/subscribe", json()).key(key).send();
    api.post("/v1/channels/" + channel + "/unsubscribe", json()).key(key).send();
    Response again = api.post("/v1/channels/" + channel + "/subscribe", json()).key(key).send();
    assertThat(again.header("X-Idempotent-Replay")).isNull();
    assertThat(api.get("/v1/channels/" + channel + "/subscribers").key(key).send().json().get("data")).hasSize(1);
  }

  @Test
  void anExplicitKeyIsHonouredOnClaims() {
    String key = newKey();
    String message = postId(key, claimableChannel(key), "mcp style");
    String idem = "claim-" + message + "-worker";
    Response first = postWithKey(key, "/v1/messages/" + message + "/claim", json("actor", "worker"), idem);
    Response again = postWithKey(key, "/v1/messages/" + message + "/claim", json("actor", "worker"), idem);
    assertThat(again.text("status")).isEqualTo("claimed");
    assertThat(again.header("X-Idempotent-Replay")).isEqualTo("true");
    assertThat(again.body()).isEqualTo(first.body());
  }

  @Test
  void recordsAreScopedToTheApiKeyTheMethodAndThePath() {
    String key = newKey();
    String other = newKey();
    String idem = uniqueKey();
    Response channel = postWithKey(key, "/v1/channels", json("name", "scoped", "mode", "broadcast"), idem);
    Response actor = postWithKey(key, "/v1/actors", json("name", "scoped"), idem);
    assertThat(actor.status()).isEqualTo(201);
    assertThat(actor.header("X-Idempotent-Replay")).isNull();
    assertThat(actor.text("id")).isNotEqualTo(channel.text("id"));

    Response theirs = postWithKey(other, "/v1/channels", json("name", "scoped", "mode", "broadcast"), idem);
    assertThat(theirs.header("X-Idempotent-Replay")).isNull();
    assertThat(theirs.text("id")).isNotEqualTo(channel.text("id"));

    String id = channel.text("id");
    Response patched = api.patch("/v1/channels/" + id, json("description", "d")).key(key)
        .header("Idempotency-Key", idem).send();
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.header("X-Idempotent-Replay")).isNull();
    Response deleted = api.delete("/v1/channels/" + id).key(key).header("Idempotency-Key", idem).send();
    assertThat(deleted.status()).isEqualTo(204);
  }

  @Test
  void errorsAreNeverRecorded() {
    String key = newKey();
    String channel = broadcastChannel(key);
    String idem = uniqueKey();
    String path = "/v1/channels/" + channel + "/messages";
    expectError(postWithKey(key, path, json("content", ""), idem), 422, "invalid_string");
    Response fixed = postWithKey(key, path, json("content", "fixed"), idem);
    assertThat(fixed.status()).isEqualTo(201);
    assertThat(fixed.header("X-Idempotent-Replay")).isNull();

    String paused = broadcastChannel(key);
    String pausedPath = "/v1/channels/" + paused + "/messages";
    api.patch("/v1/channels/" + paused, json("paused", true)).key(key).send();
    String retry = uniqueKey();
    expectError(postWithKey(key, pausedPath, json("content", "later"), retry), 503, "channel_paused");
    api.patch("/v1/channels/" + paused, json("paused", false)).key(key).send();
    Response afterResume = postWithKey(key, pausedPath, json("content", "later"), retry);
    assertThat(afterResume.status()).isEqualTo(201);
    assertThat(afterResume.header("X-Idempotent-Replay")).isNull();
  }

  @Test
  void putAndGetAreNotIdempotencyRecorded() {
    String key = newKey();
    String idem = uniqueKey();
    Response put = api.put("/v1/keys/me/scopes", json("scopes", List.of())).key(key).header("Idempotency-Key", idem)
        .send();
    assertThat(put.header("X-Idempotency-Source")).isNull();
    Response get = api.get("/v1/keys/me").key(key).header("Idempotency-Key", idem).send();
    assertThat(get.header("X-Idempotency-Source")).isNull();
  }

  @Test
  void anUnusableKeyIsRefused() {
    String key = newKey();
    for (String bad : List.of("x".repeat(256), "tab\there")) {
      expectError(api.post("/v1/actors", json("name", "n")).key(key).header("Idempotency-Key", bad).send(), 422,
          "invalid_field");
    }
  }

  @Test
  void concurrentDuplicatesHaveExactlyOneEffect() throws Exception {
    String key = newKey();
    String channel = broadcastChannel(key);
    String idem = uniqueKey();
    List<Response> responses = race(8, i -> postWithKey(key, "/v1/channels/" + channel + "/messages",
        json("content", "racer " + i), idem));
    Set<String> ids = new HashSet<>();
    for (Response response : responses) {
      assertThat(response.status()).as(response.toString()).isEqualTo(201);
      ids.add(response.json().get("message").get("id").asText());
    }
    assertThat(ids).hasSize(1);
    assertThat(responses).filteredOn(r -> r.header("X-Idempotent-Replay") == null).hasSize(1);
    assertThat(messageCount(key, channel)).isEqualTo(1);

    String auto = broadcastChannel(key);
    List<Response> autoResponses = race(8, i -> api.post("/v1/channels/" + auto + "/messages",
        json("content", "same body")).key(key).send());
    assertThat(autoResponses).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
    assertThat(messageCount(key, auto)).isEqualTo(1);
  }

  @Test
  void recordsExpireAfter24Hours() {
    String key = newKey();
    String channel = broadcastChannel(key);
    String path = "/v1/channels/" + channel + "/messages";
    String idem = uniqueKey();
    String first = postWithKey(key, path, json("content", "day one"), idem).json().get("message").get("id").asText();

    server.clock().advance(Duration.ofHours(24).minusSeconds(1));
    Response stillReplayed = postWithKey(key, path, json("content", "day one"), idem);
    assertThat(stillReplayed.header("X-Idempotent-Replay")).isEqualTo("true");

    server.clock().advance(Duration.ofSeconds(2));
    server.sweepNow();
    Response fresh = postWithKey(key, path, json("content", "day two"), idem);
    assertThat(fresh.status()).isEqualTo(201);
    assertThat(fresh.header("X-Idempotent-Replay")).isNull();
    assertThat(fresh.json().get("message").get("id").asText()).isNotEqualTo(first);
  }

  private static List<Response> race(int threads, java.util.function.IntFunction<Response> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Response>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        futures.add(pool.submit(() -> {
          start.await();
          return call.apply(n);
        }));
      }
      start.countDown();
      List<Response> out = new ArrayList<>();
      for (Future<Response> future : futures) {
        out.add(future.get(30, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
