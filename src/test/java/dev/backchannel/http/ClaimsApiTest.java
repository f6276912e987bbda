package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClaimsApiTest extends ClaimsApiTestBase {
  @ParameterizedTest(name = "{0} + {1} -> {2} {3}")
  @MethodSource("stateTable")
  void everyCellOfTheClaimStateTable(State state, Op op, int status, String outcome) {
    String id = messageIn(state);
    Response response = apply(op, id);
    if (status >= 400) {
      expectError(response, status, outcome);
    } else if (outcome.equals("lease")) {
      assertThat(response.status()).as(response.toString()).isEqualTo(200);
      assertThat(response.text("lease_token")).hasSize(36);
      assertThat(response.json().has("status")).isFalse();
    } else {
      assertThat(response.status()).as(response.toString()).isEqualTo(200);
      assertThat(response.text("status")).isEqualTo(outcome);
      assertThat(response.json().get("message").get("id").asText()).isEqualTo(id);
    }
  }

  @Test
  void aClaimRecordsTheActorTheKeyAndTheTime() {
    String id = postId(a.key(), channel, "who took it");
    Response claimed = claim(b.key(), id);
    JsonNode m = claimed.json().get("message");
    assertThat(m.get("claimed_by").get("name").asText()).isEqualTo(b.label());
    assertThat(m.get("claimed_by").get("id").asText()).hasSize(36);
    assertThat(m.get("claimed_by_key_id").asText()).isEqualTo(b.keyId());
    assertThat(m.get("claimed_at").asText()).endsWith("+00:00");
    assertThat(message(a.key(), id).get("claimed_by_key_id").asText()).isEqualTo(b.keyId());
  }

  @Test
  void theConflictDoesNotRevealTheHolder() {
    String id = postId(a.key(), channel, "secret holder");
    claim(a.key(), id);
    Response refused = claim(b.key(), id);
    expectError(refused, 409, "already_claimed");
    assertThat(refused.text("message")).isEqualTo("This message has already been claimed");
    assertThat(refused.body()).doesNotContain(a.keyId(), a.label());
    assertThat(refused.json().has("request_id")).isTrue();
    assertThat(refused.json().has("documentation_url")).isTrue();
  }

  @Test
  void claimWithLeaseAnswersTokenLeaseExpiryAndMessage() {
    String id = postId(a.key(), channel, "leased");
    Instant now = server.clock().instant();
    Response leased = lease(a.key(), id, 120);
    assertThat(leased.status()).isEqualTo(200);
    assertThat(leased.text("lease_token")).matches("[0-9a-f-]{36}");
    assertThat(time(leased.text("expires_at"))).isEqualTo(now.plusSeconds(120));
    assertThat(leased.json().get("message").get("claimed_by_key_id").asText()).isEqualTo(a.keyId());

    Response defaulted = api.post("/v1/messages/" + postId(a.key(), channel, "default lease") + "/claim-with-lease")
        .key(a.key()).send();
    assertThat(time(defaulted.text("expires_at"))).isEqualTo(now.plusSeconds(300));
  }

  @Test
  void leaseSecondsAreThirtyToThirtySixHundredAndCheckedFirst() {
    String id = postId(a.key(), channel, "lease bounds");
    for (Object bad : List.of(29, 3601, "60", 60.5, true, -1)) {
      expectError(api.post("/v1/messages/" + id + "/claim-with-lease", json("lease_seconds", bad)).key(a.key())
          .send(), 422, "invalid_lease_seconds");
    }
    expectError(api.post("/v1/messages/" + UUID.randomUUID() + "/claim-with-lease", json("lease_seconds", 5))
        .key(a.key()).send(), 422, "invalid_lease_seconds");
    assertThat(lease(a.key(), id, 30).status()).isEqualTo(200);
    assertThat(lease(a.key(), postId(a.key(), channel, "max lease"), 3600).status()).isEqualTo(200);
  }
}
