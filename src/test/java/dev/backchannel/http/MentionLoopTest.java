package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The mention-driven agent loop as HTTP calls: heartbeat → inbox → claim (two agents race) →
 * reply → ack → complete with evidence → heartbeat clear; and the claim's state by every name.
 */
class MentionLoopTest extends ApiTest {

  private JsonNode heartbeat(String key) {
    return api.get("/v1/agents/me/heartbeat").key(key).send().json();
  }

  private JsonNode firstItem(String key) {
    return api.get("/v1/agents/me/inbox").key(key).send().json().get("data").get(0);
  }

  private Response claimState(String key, String query) {
    return api.get("/v1/mentions/claim?" + query).key(key).send();
  }

  @Test
  void twoMentionedAgentsRaceOneHandlesItAndBothEndClear() throws Exception {
    Agent alpha = newAgent();
    Agent beta = newAgent();
    String lead = newKey();
    String channel = broadcastChannel(lead);
    String request = postId(lead, channel, "@" + alpha.label() + " @" + beta.label() + " who can review this?");

    assertThat(heartbeat(alpha.key()).get("needs_action").asBoolean()).isTrue();
    JsonNode alphaItem = firstItem(alpha.key());
    JsonNode betaItem = firstItem(beta.key());
    assertThat(alphaItem.get("source_id").asText()).isEqualTo(request);
    assertThat(betaItem.get("source_id").asText()).isEqualTo(request);

    CountDownLatch start = new CountDownLatch(1);
    CompletableFuture<Response> byInboxId = CompletableFuture.supplyAsync(() -> await(start,
        () -> api.post("/v1/mentions/claim", json("inbox_id", alphaItem.get("id").asText(), "ttl_seconds", 120))
            .key(alpha.key()).send()));
    CompletableFuture<Response> bySource = CompletableFuture.supplyAsync(() -> await(start,
        () -> api.post("/v1/mentions/claim", json("source_type", "message", "source_id", request, "ttl_seconds", 120))
            .key(beta.key()).send()));
    start.countDown();
    List<Response> answers = List.of(byInboxId.get(20, TimeUnit.SECONDS), bySource.get(20, TimeUnit.SECONDS));
    assertThat(answers).extracting(Response::status).containsExactlyInAnyOrder(200, 409);
    boolean alphaWon = answers.get(0).status() == 200;
    Agent winner = alphaWon ? alpha : beta;
    Agent loser = alphaWon ? beta : alpha;
    Response refused = answers.get(alphaWon ? 1 : 0);
    expectError(refused, 409, "mention_claimed");
    assertThat(refused.json().get("owner_key_id").asText()).isEqualTo(winner.keyId());
    assertThat(refused.json().get("action_hint").asText()).isEqualTo("retry_after_ttl");
    assertThat(refused.json().get("retry_after_seconds").asLong()).isBetween(1L, 120L);
    assertThat(refused.header("Retry-After")).isEqualTo(refused.json().get("retry_after_seconds").asText());

    JsonNode seenByLoser = claimState(loser.key(), "source_type=message&source_id=" + request).json();
    assertThat(seenByLoser.get("claimed").asBoolean()).isTrue();
    assertThat(seenByLoser.get("owner_key_id").asText()).isEqualTo(winner.keyId());
    assertThat(seenByLoser.get("yours").asBoolean()).isFalse();
    assertThat(firstItem(loser.key()).get("claim").get("key_id").asText()).isEqualTo(winner.keyId());

    String winnerItem = firstItem(winner.key()).get("id").asText();
    String reply = postId(winner.key(), channel, "on it: LGTM with two nits");
    assertThat(api.post("/v1/mentions/ack", json("mention_ids", List.of(winnerItem))).key(winner.key()).send()
        .json().get("acknowledged").asInt()).isEqualTo(1);
    Response completed = api.patch("/v1/agents/me/inbox", json("ids", List.of(winnerItem), "status", "completed",
        "completion_ref", json("source_type", "message", "source_id", reply))).key(winner.key()).send();
    assertThat(completed.json().get("updated").asInt()).as(completed.toString()).isEqualTo(1);
    assertThat(heartbeat(winner.key()).get("needs_action").asBoolean()).isFalse();

    String loserItem = firstItem(loser.key()).get("id").asText();
    api.patch("/v1/agents/me/inbox", json("ids", List.of(loserItem), "status", "completed",
        "completion_ref", json("source_type", "message", "source_id", reply))).key(loser.key()).send();
    assertThat(heartbeat(loser.key()).get("needs_action").asBoolean()).isFalse();
  }

  @Test
  void theClaimStateIsReadableByEveryNameAndLapsesWithItsTtl() {
    Agent agent = newAgent();
    String lead = newKey();
    String message = postId(lead, broadcastChannel(lead), "@" + agent.label() + " ping");
    String item = firstItem(agent.key()).get("id").asText();

    JsonNode free = claimState(agent.key(), "inbox_id=" + item).json();
    assertThat(free.get("claimed").asBoolean()).isFalse();
    assertThat(free.get("owner_key_id").isNull()).isTrue();
    api.post("/v1/mentions/claim", json("mention_id", item, "ttl_seconds", 30)).key(agent.key()).send();
    for (String query : List.of("mention_id=" + item, "inbox_id=" + item,
        "source_type=message&source_id=" + message)) {
      JsonNode held = claimState(agent.key(), query).json();
      assertThat(held.get("claimed").asBoolean()).as(query).isTrue();
      assertThat(held.get("yours").asBoolean()).as(query).isTrue();
      assertThat(held.get("mention_id").asText()).as(query).isEqualTo(item);
    }
    server.clock().advance(Duration.ofSeconds(31));
    assertThat(claimState(agent.key(), "mention_id=" + item).json().get("claimed").asBoolean()).isFalse();

    expectError(claimState(agent.key(), ""), 422, "missing_field");
    expectError(claimState(agent.key(), "source_type=task&source_id=" + message), 422, "invalid_field");
    expectError(claimState(newKey(), "mention_id=" + item), 404, "mention_not_found");
    expectError(api.post("/v1/mentions/claim", json("source_type", "message", "source_id", message))
        .key(newKey()).send(), 404, "mention_not_found");
  }

  @Test
  void theLoopRunsUnderTheCompatibilityNamesToo() {
    Agent agent = newAgent();
    String lead = newKey();
    postId(lead, broadcastChannel(lead), "@" + agent.label() + " via the other names");
    JsonNode item = api.get("/api/v1/agents/me/inbox").key(agent.key()).send().json().get("data").get(0);
    String id = item.get("id").asText();
    assertThat(api.post("/api/v1/mentions/claim", json("inbox_id", id)).key(agent.key()).send().status())
        .isEqualTo(200);
    assertThat(api.post("/v1/mentions/acknowledge", json("mention_ids", List.of(id))).key(agent.key()).send()
        .json().get("acknowledged").asInt()).isEqualTo(1);
    assertThat(api.get("/api/v1/agents/me/heartbeat").key(agent.key()).send().json().get("mentions").asInt())
        .isZero();
  }

  private static Response await(CountDownLatch start, java.util.function.Supplier<Response> call) {
    try {
      start.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return call.get();
  }
}
