package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.Arguments;

/** Three agents, a claimable channel and the claim verbs as one-line calls, for the claim tests. */
abstract class ClaimsApiTestBase extends ApiTest {
  protected Agent a;

  protected Agent b;

  protected Agent x;

  protected String channel;

  @BeforeAll
  void agents() {
    a = newAgent();
    b = newAgent();
    x = newAgent();
    channel = claimableChannel(a.key());
  }

  protected Response claim(String key, String message) {
    return api.post("/v1/messages/" + message + "/claim", json()).key(key).send();
  }

  protected Response lease(String key, String message, int seconds) {
    return api.post("/v1/messages/" + message + "/claim-with-lease", json("lease_seconds", seconds)).key(key).send();
  }

  protected Response release(String key, String message) {
    return api.post("/v1/messages/" + message + "/release", json()).key(key).send();
  }

  protected Response ack(String key, String message) {
    return api.post("/v1/messages/" + message + "/ack", json()).key(key).send();
  }

  protected Response heartbeat(String key, String token, Object... body) {
    return api.post("/v1/leases/" + token + "/heartbeat", json(body)).key(key).send();
  }

  protected JsonNode message(String key, String id) {
    for (JsonNode m : api.get("/v1/channels/" + channel + "/messages?limit=100").key(key).send().json().get("data")) {
      if (m.get("id").asText().equals(id)) {
        return m;
      }
    }
    throw new AssertionError("message " + id + " is not listed");
  }

  protected static Instant time(String text) {
    return Instant.parse(text.replace("+00:00", "Z"));
  }

  /** The states of contract §5.5's table, each set up on a fresh message held (or not) by A. */
  enum State { UNCLAIMED, HELD_PLAIN, HELD_LIVE_LEASE, HELD_EXPIRED_LEASE, HELD_ACKED }

  /** The operations of the table's columns. */
  enum Op { CLAIM_BY_A, CLAIM_BY_B, LEASE_BY_A, LEASE_BY_B, RELEASE_BY_A, RELEASE_BY_B, ACK_BY_X }

  protected String messageIn(State state) {
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

  protected Response apply(Op op, String id) {
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
}
