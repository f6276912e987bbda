package dev.backchannel.reliability;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.idempotency.StoredResponse;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The idempotency record commits with the write it guards. A crash between the write and its
 * response leaves the record pending (CrashDurabilityIT produces exactly that); here the pending
 * record is planted directly, as the crash would leave it.
 */
class IdempotencyRecordTest extends ApiTest {
  @Test
  void aPendingRecordFromAnOlderReleaseIsRefusedAndAppliesNothing() throws Exception {
    Agent agent = newAgent();
    String channel = claimableChannel(agent.key());
    String path = "/v1/channels/" + channel + "/messages";
    var services = server.server().services();
    services.store().write(tx -> {
      services.idempotency().put(tx, agent.keyId() + ":POST:" + path + ":lost-1", agent.keyId(),
          StoredResponse.pending("client"), tx.now(), tx.now().plus(Duration.ofHours(1)));
      return null;
    }).await(10, TimeUnit.SECONDS);

    Response retry = api.post(path, json("content", "once")).key(agent.key()).header("Idempotency-Key", "lost-1").send();

    expectError(retry, 409, "idempotency_response_lost");
    assertThat(retry.text("idempotency_key")).isEqualTo("lost-1");
    Response listed = api.get(path).key(agent.key()).send();
    assertThat(listed.json().get("data")).isEmpty();
  }

  @Test
  void theAnswerIsRecordedByTheCommitThatAcknowledgedIt() throws Exception {
    Agent agent = newAgent();
    String channel = claimableChannel(agent.key());
    String path = "/v1/channels/" + channel + "/messages";

    Response posted = api.post(path, json("content", "recorded")).key(agent.key()).header("Idempotency-Key", "rec-1")
        .send();

    assertThat(posted.status()).isEqualTo(201);
    var services = server.server().services();
    StoredResponse stored = services.store().write(tx -> services.idempotency()
        .find(tx, agent.keyId() + ":POST:" + path + ":rec-1", tx.now()).orElseThrow()).await(10, TimeUnit.SECONDS);
    assertThat(stored.status()).isEqualTo(201);
    assertThat(new String(stored.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(posted.body());
    Response replayed = api.post(path, json("content", "recorded")).key(agent.key()).header("Idempotency-Key", "rec-1")
        .send();
    assertThat(replayed.body()).isEqualTo(posted.body());
    assertThat(replayed.header("X-Idempotent-Replay")).isEqualTo("true");
  }

  @Test
  void aWriteThatFailsLeavesNoRecordSoItsRetryRunsAgain() {
    Agent agent = newAgent();
    String channel = claimableChannel(agent.key());
    String path = "/v1/channels/" + channel + "/messages";
    Response refused = api.post(path, json("content", "x", "priority", 99)).key(agent.key())
        .header("Idempotency-Key", "fails-1").send();
    expectError(refused, 422, "invalid_priority");

    Response retried = api.post(path, json("content", "x")).key(agent.key()).header("Idempotency-Key", "fails-1").send();

    assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
    assertThat(retried.header("X-Idempotent-Replay")).isNull();
    Response replayed = api.post(path, json("content", "x")).key(agent.key()).header("Idempotency-Key", "fails-1")
        .send();
    assertThat(replayed.header("X-Idempotent-Replay")).isEqualTo("true");
    assertThat(replayed.json().get("message").get("id")).isEqualTo(retried.json().get("message").get("id"));
  }

  @Test
  void aWriteRefusedInsideItsTransactionLeavesNoPendingRecord() {
    Agent agent = newAgent();
    String message = postId(agent.key(), claimableChannel(agent.key()), "held");
    Response claimed = api.post("/v1/messages/" + message + "/claim", json()).key(agent.key()).send();
    assertThat(claimed.status()).isEqualTo(200);
    Response refused = api.delete("/v1/messages/" + message).key(agent.key()).header("Idempotency-Key", "r-1").send();
    expectError(refused, 409, "message_claimed");
    api.post("/v1/messages/" + message + "/release", json()).key(agent.key()).send();

    Response retracted = api.delete("/v1/messages/" + message).key(agent.key()).header("Idempotency-Key", "r-1").send();

    assertThat(retracted.status()).as(retracted.toString()).isEqualTo(200);
  }
}
