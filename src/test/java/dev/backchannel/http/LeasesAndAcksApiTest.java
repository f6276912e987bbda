package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Leases (heartbeat, expiry, takeover, sweep), release and acks, and claim validation. */
class LeasesAndAcksApiTest extends ClaimsApiTestBase {
  @Test
  void heartbeatMovesTheLeaseExpiryToNowPlusLeaseSeconds() {
    String id = postId(a.key(), channel, "beating");
    String token = lease(a.key(), id, 60).text("lease_token");
    server.clock().advance(Duration.ofSeconds(50));

    Response beat = heartbeat(a.key(), token, "lease_seconds", 45);
    assertThat(beat.status()).isEqualTo(200);
    assertThat(beat.text("lease_token")).isEqualTo(token);
    assertThat(time(beat.text("expires_at"))).isEqualTo(server.clock().instant().plusSeconds(45));
    assertThat(beat.json().has("message")).isFalse();
    server.clock().advance(Duration.ofSeconds(40));
    expectError(claim(b.key(), id), 409, "already_claimed");

    Response shorter = api.post("/v1/leases/" + token + "/heartbeat").key(a.key()).send();
    assertThat(time(shorter.text("expires_at"))).isEqualTo(server.clock().instant().plusSeconds(300));
    expectError(heartbeat(a.key(), token, "lease_seconds", 10), 422, "invalid_lease_seconds");
  }

  @Test
  void heartbeatOnAnExpiredOrUnknownLeaseIs410() {
    String id = postId(a.key(), channel, "lapsed");
    String token = lease(a.key(), id, 30).text("lease_token");
    server.clock().advance(Duration.ofSeconds(30));
    expectError(heartbeat(a.key(), token), 410, "lease_expired");
    expectError(heartbeat(a.key(), UUID.randomUUID().toString()), 410, "lease_expired");
  }

  @Test
  void heartbeatByAnotherKeyIsRefused() {
    String id = postId(a.key(), channel, "not yours");
    String token = lease(a.key(), id, 60).text("lease_token");
    expectError(heartbeat(b.key(), token), 403, "forbidden");
    assertThat(heartbeat(a.key(), token).status()).isEqualTo(200);
  }

  @Test
  void anExpiredLeaseIsTakenOverAndTheOldTokenDies() {
    String id = postId(a.key(), channel, "takeover");
    String old = lease(a.key(), id, 30).text("lease_token");
    server.clock().advance(Duration.ofSeconds(31));

    Response taken = lease(b.key(), id, 60);
    assertThat(taken.status()).isEqualTo(200);
    assertThat(taken.text("lease_token")).isNotEqualTo(old);
    assertThat(taken.json().get("message").get("claimed_by_key_id").asText()).isEqualTo(b.keyId());
    expectError(heartbeat(a.key(), old), 410, "lease_expired");
    assertThat(heartbeat(b.key(), taken.text("lease_token")).status()).isEqualTo(200);
  }

  @Test
  void aPlainClaimTakingOverAnExpiredLeaseClearsItSoTheHoldIsPermanent() {
    String id = postId(a.key(), channel, "plain takeover");
    String old = lease(a.key(), id, 30).text("lease_token");
    server.clock().advance(Duration.ofSeconds(31));

    Response taken = claim(b.key(), id);
    assertThat(taken.status()).isEqualTo(200);
    assertThat(taken.text("status")).isEqualTo("claimed");
    assertThat(taken.json().get("message").get("claimed_by").get("name").asText()).isEqualTo(b.label());
    expectError(heartbeat(a.key(), old), 410, "lease_expired");

    server.clock().advance(Duration.ofHours(1));
    server.releaseLeasesNow();
    expectError(claim(x.key(), id), 409, "already_claimed");
    expectError(lease(x.key(), id, 60), 409, "already_claimed");
  }

  @Test
  void anAckedMessageIsNeverTakenOverNorSweptBack() {
    String id = postId(a.key(), channel, "acked lease");
    lease(a.key(), id, 30);
    ack(a.key(), id);
    server.clock().advance(Duration.ofSeconds(60));

    expectError(claim(b.key(), id), 409, "already_claimed");
    expectError(lease(b.key(), id, 60), 409, "already_claimed");
    server.releaseLeasesNow();
    assertThat(message(a.key(), id).get("claimed_by_key_id").asText()).isEqualTo(a.keyId());
    expectError(claim(b.key(), id), 409, "already_claimed");
  }

  @Test
  void theLeaseSweepReturnsLapsedUnackedLeasesToThePool() {
    String id = postId(a.key(), channel, "swept");
    String token = lease(a.key(), id, 30).text("lease_token");
    server.clock().advance(Duration.ofSeconds(31));
    assertThat(message(a.key(), id).get("claimed_by").isNull()).isFalse();

    server.releaseLeasesNow();
    JsonNode m = message(a.key(), id);
    assertThat(m.get("claimed_by").isNull()).isTrue();
    assertThat(m.get("claimed_by_key_id").isNull()).isTrue();
    assertThat(m.get("claimed_at").isNull()).isTrue();
    List<String> unclaimed = api.get("/v1/channels/" + channel + "/messages?status=unclaimed&limit=100")
        .key(a.key()).send().json().findValuesAsText("id");
    assertThat(unclaimed).contains(id);
    expectError(heartbeat(a.key(), token), 410, "lease_expired");
    assertThat(claim(b.key(), id).text("status")).isEqualTo("claimed");
  }

  @Test
  void releaseClearsTheClaimAndTheLeaseSoTheOldTokenIs410() {
    String id = postId(a.key(), channel, "released lease");
    String token = lease(a.key(), id, 300).text("lease_token");
    Response released = release(a.key(), id);
    assertThat(released.status()).isEqualTo(200);
    assertThat(released.text("status")).isEqualTo("released");
    JsonNode m = released.json().get("message");
    assertThat(m.get("claimed_by").isNull()).isTrue();
    assertThat(m.get("claimed_by_key_id").isNull()).isTrue();
    assertThat(m.get("claimed_at").isNull()).isTrue();
    expectError(heartbeat(a.key(), token), 410, "lease_expired");
    expectError(release(a.key(), id), 409, "not_claimed");
    assertThat(claim(b.key(), id).text("status")).isEqualTo("claimed");
  }

  @Test
  void acksArePerActorIdempotentAndNeedNoClaim() {
    String id = postId(a.key(), channel, "ack me");
    Response first = ack(b.key(), id);
    assertThat(first.text("status")).isEqualTo("acknowledged");
    JsonNode acks = first.json().get("message").get("acknowledged_by");
    assertThat(acks).hasSize(1);
    assertThat(acks.get(0).get("name").asText()).isEqualTo(b.label());
    assertThat(acks.get(0).get("id").asText()).hasSize(36);
    assertThat(acks.get(0).get("occurred_at").asText()).endsWith("+00:00");
    assertThat(first.json().get("message").get("claimed_by").isNull()).isTrue();

    assertThat(ack(b.key(), id).text("status")).isEqualTo("already_acknowledged");
    server.clock().advance(Duration.ofSeconds(1));
    Response second = ack(x.key(), id);
    assertThat(second.json().get("message").get("acknowledged_by")).extracting(n -> n.get("name").asText())
        .containsExactly(b.label(), x.label());
    assertThat(claim(a.key(), id).text("status")).isEqualTo("claimed");
  }

  @Test
  void broadcastMessagesCannotBeClaimedButCanBeAcked() {
    String broadcast = broadcastChannel(a.key());
    String id = postId(a.key(), broadcast, "news");
    expectError(claim(a.key(), id), 409, "channel_not_claimable");
    expectError(lease(a.key(), id, 60), 409, "channel_not_claimable");
    expectError(release(a.key(), id), 409, "channel_not_claimable");
    assertThat(ack(b.key(), id).text("status")).isEqualTo("acknowledged");
  }

  @Test
  void unknownMessagesAre404() {
    String missing = UUID.randomUUID().toString();
    expectError(claim(a.key(), missing), 404, "message_not_found");
    expectError(lease(a.key(), missing, 60), 404, "message_not_found");
    expectError(release(a.key(), missing), 404, "message_not_found");
    expectError(ack(a.key(), missing), 404, "message_not_found");
  }

  @Test
  void claimBodiesAreValidated() {
    String id = postId(a.key(), channel, "bodies");
    for (String verb : List.of("claim", "claim-with-lease", "ack")) {
      String path = "/v1/messages/" + id + "/" + verb;
      expectError(api.post(path, json("metadata", "x")).key(a.key()).send(), 422, "invalid_object");
      expectError(api.post(path, json("actor", "")).key(a.key()).send(), 422, "invalid_string");
      expectError(api.post(path, json("actor", "  ")).key(a.key()).send(), 422, "invalid_string");
      expectError(api.post(path, json("actor", 7)).key(a.key()).send(), 422, "invalid_string");
      expectError(api.post(path, "{").key(a.key()).send(), 400, "invalid_json");
      expectError(api.post(path, "[]").key(a.key()).send(), 422, "invalid_json_shape");
    }
    expectError(api.post("/v1/messages/" + id + "/release", json("actor", "")).key(a.key()).send(), 422,
        "invalid_string");
  }

  @Test
  void twoKeysOfOneOwnerUsingOneActorNameAreOneClaimer() {
    Agent first = newAgent();
    String id = postId(first.key(), channel, "shared actor");
    assertThat(api.post("/v1/messages/" + id + "/claim", json("actor", "bob")).key(first.key()).send()
        .text("status")).isEqualTo("claimed");
    api.delete("/v1/keys/me").key(first.key()).send();
    String second = api.mintKey(first.label());

    Response again = api.post("/v1/messages/" + id + "/claim", json("actor", "bob")).key(second).send();
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text("status")).isEqualTo("already_claimed");
    assertThat(api.post("/v1/messages/" + id + "/release", json("actor", "bob")).key(second).send().status())
        .isEqualTo(200);
  }

  @Test
  void claimingAnUnknownActorNameCreatesIt() {
    String id = postId(a.key(), channel, "new actor");
    String name = "never-registered-" + UUID.randomUUID();
    Response claimed = api.post("/v1/messages/" + id + "/claim", json("actor", name)).key(a.key()).send();
    assertThat(claimed.status()).isEqualTo(200);
    JsonNode actor = claimed.json().get("message").get("claimed_by");
    assertThat(actor.get("name").asText()).isEqualTo(name);
    Response fetched = api.get("/v1/actors/" + actor.get("id").asText()).key(b.key()).send();
    assertThat(fetched.text("owner_id")).isEqualTo(a.label());
  }
}
