package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClaimsApiTest extends ApiTest {
  private Agent a;
  private Agent b;
  private Agent x;
  private String channel;

  @BeforeAll
  void agents() {
    a = newAgent();
    b = newAgent();
    x = newAgent();
    channel = claimableChannel(a.key());
  }

  private Response claim(String key, String message) {
    return api.post("/v1/messages/" + message + "/claim", json()).key(key).send();
  }

  private Response lease(String key, String message, int seconds) {
    return api.post("/v1/messages/" + message + "/claim-with-lease", json("lease_seconds", seconds)).key(key).send();
  }

  private Response release(String key, String message) {
    return api.post("/v1/messages/" + message + "/release", json()).key(key).send();
  }

  private Response ack(String key, String message) {
    return api.post("/v1/messages/" + message + "/ack", json()).key(key).send();
  }

  private Response heartbeat(String key, String token, Object... body) {
    return api.post("/v1/leases/" + token + "/heartbeat", json(body)).key(key).send();
  }

  private JsonNode message(String key, String id) {
    for (JsonNode m : api.get("/v1/channels/" + channel + "/messages?limit=100").key(key).send().json().get("data")) {
      if (m.get("id").asText().equals(id)) {
        return m;
      }
    }
    throw new AssertionError("message " + id + " is not listed");
  }

  private static Instant time(String text) {
    return Instant.parse(text.replace("+00:00", "Z"));
  }

  /** The states of contract §5.5's table, each set up on a fresh message held (or not) by A. */
  enum State { UNCLAIMED, HELD_PLAIN, HELD_LIVE_LEASE, HELD_EXPIRED_LEASE, HELD_ACKED }

  /** The operations of the table's columns. */
  enum Op { CLAIM_BY_A, CLAIM_BY_B, LEASE_BY_A, LEASE_BY_B, RELEASE_BY_A, RELEASE_BY_B, ACK_BY_X }

  private String messageIn(State state) {
    String id = postId(a.key(), channel, "state " + state + " " + UUID.randomUUID());
    switch (state) {
      case UNCLAIMED -> { }
      case HELD_PLAIN -> assertThat(claim(a.key(), id).status()).isEqualTo(200);
      case HELD_LIVE_LEASE -> assertThat(lease(a.key(), id, 300).status()).isEqualTo(200);
      case HELD_EXPIRED_LEASE -> {
        assertThat(lease(a.key(), id, 30).status()).isEqualTo(200);
        server.clock().advance(Duration.ofSeconds(31));
      }
      case HELD_ACKED -> {
        assertThat(claim(a.key(), id).status()).isEqualTo(200);
        assertThat(ack(a.key(), id).status()).isEqualTo(200);
      }
    }
    return id;
  }

  private Response apply(Op op, String id) {
    return switch (op) {
      case CLAIM_BY_A -> claim(a.key(), id);
      case CLAIM_BY_B -> claim(b.key(), id);
      case LEASE_BY_A -> lease(a.key(), id, 60);
      case LEASE_BY_B -> lease(b.key(), id, 60);
      case RELEASE_BY_A -> release(a.key(), id);
      case RELEASE_BY_B -> release(b.key(), id);
      case ACK_BY_X -> ack(x.key(), id);
    };
  }

  static Stream<Arguments> stateTable() {
    Object[][] table = {
        // state, op, status, status field or error code
        {State.UNCLAIMED, Op.CLAIM_BY_A, 200, "claimed"},
        {State.UNCLAIMED, Op.CLAIM_BY_B, 200, "claimed"},
        {State.UNCLAIMED, Op.LEASE_BY_A, 200, "lease"},
        {State.UNCLAIMED, Op.LEASE_BY_B, 200, "lease"},
        {State.UNCLAIMED, Op.RELEASE_BY_A, 409, "not_claimed"},
        {State.UNCLAIMED, Op.RELEASE_BY_B, 409, "not_claimed"},
        {State.UNCLAIMED, Op.ACK_BY_X, 200, "acknowledged"},
        {State.HELD_PLAIN, Op.CLAIM_BY_A, 200, "already_claimed"},
        {State.HELD_PLAIN, Op.CLAIM_BY_B, 409, "already_claimed"},
        {State.HELD_PLAIN, Op.LEASE_BY_A, 409, "already_claimed"},
        {State.HELD_PLAIN, Op.LEASE_BY_B, 409, "already_claimed"},
        {State.HELD_PLAIN, Op.RELEASE_BY_A, 200, "released"},
        {State.HELD_PLAIN, Op.RELEASE_BY_B, 403, "forbidden"},
        {State.HELD_PLAIN, Op.ACK_BY_X, 200, "acknowledged"},
        {State.HELD_LIVE_LEASE, Op.CLAIM_BY_A, 200, "already_claimed"},
        {State.HELD_LIVE_LEASE, Op.CLAIM_BY_B, 409, "already_claimed"},
        {State.HELD_LIVE_LEASE, Op.LEASE_BY_A, 409, "already_claimed"},
        {State.HELD_LIVE_LEASE, Op.LEASE_BY_B, 409, "already_claimed"},
        {State.HELD_LIVE_LEASE, Op.RELEASE_BY_A, 200, "released"},
        {State.HELD_LIVE_LEASE, Op.RELEASE_BY_B, 403, "forbidden"},
        {State.HELD_LIVE_LEASE, Op.ACK_BY_X, 200, "acknowledged"},
        {State.HELD_EXPIRED_LEASE, Op.CLAIM_BY_A, 200, "already_claimed"},
        {State.HELD_EXPIRED_LEASE, Op.CLAIM_BY_B, 200, "claimed"},
        {State.HELD_EXPIRED_LEASE, Op.LEASE_BY_A, 200, "lease"},
        {State.HELD_EXPIRED_LEASE, Op.LEASE_BY_B, 200, "lease"},
        {State.HELD_EXPIRED_LEASE, Op.RELEASE_BY_A, 200, "released"},
        {State.HELD_EXPIRED_LEASE, Op.RELEASE_BY_B, 403, "forbidden"},
        {State.HELD_EXPIRED_LEASE, Op.ACK_BY_X, 200, "acknowledged"},
        {State.HELD_ACKED, Op.CLAIM_BY_A, 200, "already_acknowledged"},
        {State.HELD_ACKED, Op.CLAIM_BY_B, 409, "already_claimed"},
        {State.HELD_ACKED, Op.LEASE_BY_A, 409, "already_claimed"},
        {State.HELD_ACKED, Op.LEASE_BY_B, 409, "already_claimed"},
        {State.HELD_ACKED, Op.RELEASE_BY_A, 200, "released"},
        {State.HELD_ACKED, Op.RELEASE_BY_B, 403, "forbidden"},
        {State.HELD_ACKED, Op.ACK_BY_X, 200, "acknowledged"},
    };
    return Stream.of(table).map(Arguments::of);
  }

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
