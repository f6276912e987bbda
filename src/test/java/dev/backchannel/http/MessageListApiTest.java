package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Listing messages: pages and cursors, filters, retraction and history. */
class MessageListApiTest extends MessagesApiTestBase {
  @Test
  void aListPageHasDataLimitAndTheLastCreatedAtAsCursor() {
    String key = newKey();
    String channel = broadcastChannel(key);
    List<JsonNode> posted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      posted.add(post(key, channel, "page " + i));
    }
    Response page = list(key, channel, "?limit=2");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.json().get("limit").asInt()).isEqualTo(2);
    assertThat(ids(page)).containsExactly(posted.get(0).get("id").asText(), posted.get(1).get("id").asText());
    assertThat(page.text("next_cursor")).isEqualTo(posted.get(1).get("created_at").asText());
    assertThat(page.header("Deprecation")).isNull();
    Response all = list(key, channel, "");
    assertThat(all.json().get("limit").asInt()).isEqualTo(50);
    assertThat(all.json().get("data").get(0).toString()).isEqualTo(posted.get(0).toString());
  }

  @Test
  void everyCursorFormPagesFromTheSamePoint() {
    String key = newKey();
    String channel = broadcastChannel(key);
    JsonNode first = post(key, channel, "first");
    String second = postId(key, channel, "second");
    String createdAt = first.get("created_at").asText();
    Instant at = time(first.get("created_at"));

    assertThat(ids(list(key, channel, "?since=0"))).hasSize(2);
    assertThat(ids(list(key, channel, "?cursor=0"))).hasSize(2);
    assertThat(ids(list(key, channel, "?cursor=" + first.get("seq").asLong()))).containsExactly(second);
    assertThat(ids(list(key, channel, "?cursor=" + encode(createdAt)))).containsExactly(second);
    assertThat(ids(list(key, channel, "?since=" + encode(createdAt)))).containsExactly(second);
    assertThat(ids(list(key, channel, "?since=" + createdAt.replace(":", "%3A").replace("+", "%2B"))))
        .containsExactly(second);
    assertThat(ids(list(key, channel, "?cursor=" + at.toString()))).containsExactly(second);
    assertThat(ids(list(key, channel, "?cursor=" + encode(at.atOffset(java.time.ZoneOffset.ofHours(2))
        .toString())))).containsExactly(second);
    assertThat(ids(list(key, channel, "?since=" + createdAt))).as("an unencoded + decodes to a space")
        .containsExactly(second);
    assertThat(ids(list(key, channel, "?since="))).hasSize(2);
    assertThat(ids(list(key, channel, "?cursor=" + first.get("seq").asLong() + "&since=0"))).containsExactly(second);
  }

  @Test
  void aGarbageCursorIs422() {
    String key = newKey();
    String channel = broadcastChannel(key);
    expectError(list(key, channel, "?cursor=garbage"), 422, "invalid_cursor");
    expectError(list(key, channel, "?since=yesterday"), 422, "invalid_cursor");
    expectError(list(key, channel, "?since=-5"), 422, "invalid_cursor");
    expectError(api.get("/v1/channels/" + channel + "/history?cursor=garbage").key(key).send(), 422,
        "invalid_cursor");
  }

  @Test
  void anEmptyPageEchoesTheCursorAsGiven() {
    String key = newKey();
    String channel = broadcastChannel(key);
    assertThat(list(key, channel, "?since=0").text("next_cursor")).isEqualTo("0");
    assertThat(list(key, channel, "").json().get("next_cursor").isNull()).isTrue();
    String last = post(key, channel, "only").get("created_at").asText();
    assertThat(list(key, channel, "?since=" + encode(last)).text("next_cursor")).isEqualTo(last);
    assertThat(list(key, channel, "?cursor=" + encode("2100-01-01T00:00:00Z")).text("next_cursor"))
        .isEqualTo("2100-01-01T00:00:00Z");
    assertThat(list(key, channel, "?cursor=999999999").text("next_cursor")).isEqualTo("999999999");
  }

  @Test
  void sinceWithoutCursorCarriesDeprecationHeaders() {
    String key = newKey();
    String channel = broadcastChannel(key);
    Response since = list(key, channel, "?since=0");
    assertThat(since.header("Deprecation")).isEqualTo("true");
    assertThat(since.header("Sunset")).isEqualTo("2027-01-01");
    assertThat(list(key, channel, "?cursor=0").header("Deprecation")).isNull();
    assertThat(list(key, channel, "?cursor=0&since=0").header("Deprecation")).isNull();
    assertThat(list(key, channel, "?since=").header("Deprecation")).isNull();
    assertThat(list(key, channel, "").header("Sunset")).isNull();
  }

  @Test
  void limitIsOneToHundredAndValidatedBeforeTheChannel() {
    String key = newKey();
    String channel = broadcastChannel(key);
    for (String bad : List.of("0", "101", "-1", "ten", "1.5", "99999999999")) {
      expectError(list(key, channel, "?limit=" + bad), 422, "invalid_limit");
    }
    assertThat(list(key, channel, "?limit=100").status()).isEqualTo(200);
    assertThat(list(key, channel, "?limit=1").status()).isEqualTo(200);
    expectError(list(key, "no-such-channel", "?limit=0"), 422, "invalid_limit");
    expectError(list(key, "no-such-channel", "?status=held"), 422, "invalid_status");
  }

  @Test
  void theStatusFilterSplitsClaimedFromUnclaimed() {
    String key = newKey();
    String channel = claimableChannel(key);
    String claimed = postId(key, channel, "claimed");
    String open = postId(key, channel, "open");
    api.post("/v1/messages/" + claimed + "/claim", json()).key(key).send();

    assertThat(ids(list(key, channel, "?status=unclaimed"))).containsExactly(open);
    assertThat(ids(list(key, channel, "?status=claimed"))).containsExactly(claimed);
    assertThat(ids(list(key, channel, "?status="))).containsExactly(claimed, open);
    expectError(list(key, channel, "?status=done"), 422, "invalid_status");
  }

  @Test
  void expiringBeforeKeepsMessagesThatExpireEarlier() {
    String key = newKey();
    String shortLived = broadcastChannel(key, "ttl_seconds", 300);
    JsonNode m = post(key, shortLived, "short");
    Instant expires = time(m.get("expires_at"));
    assertThat(ids(list(key, shortLived, "?expiring_before=" + encode(expires.plusSeconds(1).toString()))))
        .containsExactly(m.get("id").asText());
    assertThat(ids(list(key, shortLived, "?expiring_before=" + encode(expires.toString())))).isEmpty();
    assertThat(ids(list(key, shortLived, "?expiring_before=not-a-time"))).hasSize(1);
  }

  @Test
  void retractionArchivesAnUnclaimedMessageIntoHistory() {
    String owner = newKey();
    String other = newKey();
    String channel = claimableChannel(owner);
    JsonNode m = post(owner, channel, "take it back");
    String claimed = postId(owner, channel, "keep it");
    api.post("/v1/messages/" + claimed + "/claim", json()).key(owner).send();

    Response retracted = api.delete("/v1/messages/" + m.get("id").asText()).key(other).send();
    assertThat(retracted.status()).isEqualTo(200);
    assertThat(retracted.text("status")).isEqualTo("retracted");
    assertThat(ids(list(owner, channel, ""))).containsExactly(claimed);
    expectError(api.delete("/v1/messages/" + claimed).key(owner).send(), 409, "message_claimed");
    expectError(api.delete("/v1/messages/" + UUID.randomUUID()).key(owner).send(), 404, "message_not_found");

    Response history = api.get("/v1/channels/" + channel + "/history").key(owner).send();
    assertThat(history.status()).isEqualTo(200);
    JsonNode archived = history.json().get("data").get(0);
    List<String> names = new ArrayList<>();
    archived.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("id", "channel_id", "actor", "actor_label", "content", "metadata",
        "created_at", "expires_at", "claimed_by", "claimed_at", "archived_at", "active");
    assertThat(archived.get("id").asText()).isEqualTo(m.get("id").asText());
    assertThat(archived.get("content").asText()).isEqualTo("take it back");
    assertThat(archived.get("created_at").asText()).isEqualTo(m.get("created_at").asText());
    assertThat(archived.get("active").asBoolean()).isFalse();
    assertThat(archived.get("metadata").isObject()).isTrue();
  }

  @Test
  void historyIsNewestFirstAndPagesWithACursor() {
    String key = newKey();
    String channel = broadcastChannel(key, "ttl_seconds", 300);
    List<String> posted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      posted.add(postId(key, channel, "old " + i));
    }
    assertThat(api.get("/v1/channels/" + channel + "/history").key(key).send().json().get("data")).isEmpty();
    server.clock().advance(Duration.ofSeconds(301));
    server.sweepNow();

    Response page = api.get("/v1/channels/" + channel + "/history?limit=2").key(key).send();
    assertThat(page.json().get("limit").asInt()).isEqualTo(2);
    assertThat(ids(page)).containsExactly(posted.get(2), posted.get(1));
    Response rest = api.get("/v1/channels/" + channel + "/history?limit=2&cursor=" + encode(page.text("next_cursor")))
        .key(key).send();
    assertThat(ids(rest)).containsExactly(posted.get(0));
    assertThat(rest.text("next_cursor")).isNotNull();
    Response empty = api.get("/v1/channels/" + channel + "/history?cursor=" + encode(rest.text("next_cursor")))
        .key(key).send();
    assertThat(empty.json().get("data")).isEmpty();
    assertThat(empty.json().get("next_cursor").isNull()).isTrue();
    expectError(api.get("/v1/channels/" + channel + "/history?limit=0").key(key).send(), 422, "invalid_limit");
  }

  @Test
  void waitIsAcceptedInBothNumberForms() {
    String key = newKey();
    String channel = broadcastChannel(key);
    post(key, channel, "already here");
    assertThat(list(key, channel, "?wait=8").status()).isEqualTo(200);
    assertThat(list(key, channel, "?wait=1.5").status()).isEqualTo(200);
  }
}
