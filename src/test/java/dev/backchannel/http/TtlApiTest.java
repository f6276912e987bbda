package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TtlApiTest extends ApiTest {

  @Override
  protected Map<String, String> settings() {
    return Map.of("invitation_lookup_limit", "0");
  }

  private JsonNode live(String key, String channel) {
    return api.get("/v1/channels/" + channel + "/messages").key(key).send().json().get("data");
  }

  private JsonNode history(String key, String channel) {
    return api.get("/v1/channels/" + channel + "/history").key(key).send().json().get("data");
  }

  @Test
  void expiredMessagesVanishFromReadsAtOnceWithoutASweep() {
    String key = newKey();
    String channel = claimableChannel(key, "ttl_seconds", 300);
    JsonNode message = post(key, channel, "short lived");
    String id = message.get("id").asText();
    Instant expiresAt = Instant.parse(message.get("expires_at").asText().replace("+00:00", "Z"));
    server.clock().set(expiresAt.minusNanos(1_000));
    assertThat(live(key, channel)).hasSize(1);
    assertThat(live(key, channel).get(0).get("active").asBoolean()).isTrue();

    server.clock().set(expiresAt);
    assertThat(live(key, channel)).isEmpty();
    assertThat(history(key, channel)).isEmpty();
    for (String verb : new String[] {"claim", "claim-with-lease", "ack", "release"}) {
      expectError(api.post("/v1/messages/" + id + "/" + verb, json()).key(key).send(), 410, "message_expired");
    }
  }

  @Test
  void afterTheSweepAnExpiredMessageIs404AndInHistory() {
    String key = newKey();
    String channel = claimableChannel(key, "ttl_seconds", 300);
    JsonNode message = post(key, channel, "archived soon");
    String id = message.get("id").asText();
    api.post("/v1/messages/" + id + "/claim", json("actor", "keeper")).key(key).send();
    server.clock().advance(Duration.ofSeconds(301));
    server.sweepNow();

    expectError(api.post("/v1/messages/" + id + "/claim", json()).key(key).send(), 404, "message_not_found");
    expectError(api.post("/v1/messages/" + id + "/ack", json()).key(key).send(), 404, "message_not_found");
    JsonNode archived = history(key, channel);
    assertThat(archived).hasSize(1);
    JsonNode a = archived.get(0);
    assertThat(a.get("id").asText()).isEqualTo(id);
    assertThat(a.get("content").asText()).isEqualTo("archived soon");
    assertThat(a.get("created_at").asText()).isEqualTo(message.get("created_at").asText());
    assertThat(a.get("expires_at").asText()).isEqualTo(message.get("expires_at").asText());
    assertThat(a.get("claimed_by").get("name").asText()).isEqualTo("keeper");
    assertThat(a.get("claimed_at").isNull()).isFalse();
    assertThat(a.get("archived_at").asText()).endsWith("+00:00");
    assertThat(a.get("active").asBoolean()).isFalse();
  }

  @Test
  void anExpiredButUnpurgedMessageCanStillBeRetracted() {
    String key = newKey();
    String channel = claimableChannel(key, "ttl_seconds", 300);
    String id = postId(key, channel, "retract late");
    server.clock().advance(Duration.ofSeconds(400));
    assertThat(api.delete("/v1/messages/" + id).key(key).send().status()).isEqualTo(200);
    assertThat(history(key, channel)).hasSize(1);
  }

  @Test
  void heartbeatDoesNotLookAtMessageExpiry() {
    String key = newKey();
    String channel = claimableChannel(key, "ttl_seconds", 300);
    String id = postId(key, channel, "outlived by its lease");
    String token = api.post("/v1/messages/" + id + "/claim-with-lease", json("lease_seconds", 3600)).key(key).send()
        .text("lease_token");
    server.clock().advance(Duration.ofSeconds(400));
    assertThat(api.post("/v1/leases/" + token + "/heartbeat", json()).key(key).send().status()).isEqualTo(200);
  }

  @Test
  void ownedMessageCountsIncludeExpiredMessagesUntilTheSweep() {
    String key = newKey();
    String channel = broadcastChannel(key, "ttl_seconds", 300);
    post(key, channel, "counted");
    server.clock().advance(Duration.ofSeconds(301));
    assertThat(api.get("/v1/observability/metrics").key(key).send().json().get("messages_in_owned_channels").asInt())
        .isEqualTo(1);
    server.sweepNow();
    assertThat(api.get("/v1/observability/metrics").key(key).send().json().get("messages_in_owned_channels").asInt())
        .isZero();
  }

  @Test
  void archivedMessagesArePurgedAfterTheChannelsRetention() {
    String key = newKey();
    String channel = broadcastChannel(key, "ttl_seconds", 300, "retention_days", 1);
    post(key, channel, "kept a day");
    server.clock().advance(Duration.ofSeconds(301));
    server.sweepNow();
    assertThat(history(key, channel)).hasSize(1);

    server.clock().advance(Duration.ofHours(23));
    server.sweepNow();
    assertThat(history(key, channel)).hasSize(1);
    server.clock().advance(Duration.ofHours(1).plusSeconds(1));
    server.sweepNow();
    assertThat(history(key, channel)).isEmpty();
  }

  @Test
  void invitationsExpireAfter24Hours() {
    String owner = newKey();
    String guest = newKey();
    String channel = createChannel(owner, "broadcast", "access", "restricted").get("id").asText();
    String invitation = api.post("/v1/channels/" + channel + "/invitations").key(owner).send().text("id");
    server.clock().advance(Duration.ofHours(24));

    expectError(api.get("/v1/channel-invitations/" + invitation).key(guest).send(), 410, "invitation_expired");
    expectError(api.get("/v1/channels/" + channel).key(guest).send(), 403, "channel_access_denied");
    Response revoked = api.delete("/v1/channel-invitations/" + invitation).key(owner).send();
    assertThat(revoked.json().get("active").asBoolean()).isFalse();
    server.sweepNow();
    expectError(api.get("/v1/channel-invitations/" + invitation).key(guest).send(), 404, "invitation_not_found");
  }

  @Test
  void aRevokedInvitationIsCheckedBeforeExpiry() {
    String owner = newKey();
    String channel = broadcastChannel(owner);
    String invitation = api.post("/v1/channels/" + channel + "/invitations").key(owner).send().text("id");
    api.delete("/v1/channel-invitations/" + invitation).key(owner).send();
    server.clock().advance(Duration.ofHours(25));
    expectError(api.get("/v1/channel-invitations/" + invitation).key(newKey()).send(), 410, "invitation_revoked");
  }

  @Test
  void sessionsExpireAfter24Hours() {
    String key = newKey();
    String id = api.post("/v1/sessions", json("name", "fleeting")).key(key).send().text("id");
    server.clock().advance(Duration.ofHours(24).minusSeconds(1));
    assertThat(api.get("/v1/sessions/" + id).key(key).send().status()).isEqualTo(200);

    server.clock().advance(Duration.ofSeconds(1));
    expectError(api.get("/v1/sessions/" + id).key(key).send(), 404, "session_not_found");
    expectError(api.patch("/v1/sessions/" + id, json("state", Map.of("a", 1))).key(key).send(), 404,
        "session_not_found");
    assertThat(api.get("/v1/sessions").key(key).send().json().get("data")).isEmpty();
    assertThat(api.get("/v1/observability/metrics").key(key).send().json().get("active_sessions").asInt()).isZero();
    server.sweepNow();
    expectError(api.get("/v1/sessions/" + id).key(key).send(), 404, "session_not_found");
  }

  @Test
  void theSweepIsRecordedOnTheStatusPage() {
    server.sweepNow();
    Response page = api.get("/status.html").send();
    assertThat(page.body()).contains("(completed)");
  }
}
