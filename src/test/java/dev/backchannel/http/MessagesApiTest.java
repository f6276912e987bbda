package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class MessagesApiTest extends ApiTest {
  private static final List<String> MESSAGE_FIELDS = List.of("id", "seq", "channel_id", "actor", "actor_label",
      "content", "metadata", "created_at", "expires_at", "claimed_by", "claimed_by_key_id", "mentions", "claimed_at",
      "acknowledged_by", "active", "priority", "deliver_at", "delivery_count", "fence", "dead_lettered_from",
      "last_failure");

  private Response send(String key, String channel, ObjectNode body) {
    return api.post("/v1/channels/" + channel + "/messages", body).key(key).send();
  }

  private Response list(String key, String channel, String query) {
    return api.get("/v1/channels/" + channel + "/messages" + query).key(key).send();
  }

  private static List<String> ids(Response page) {
    List<String> ids = new ArrayList<>();
    page.json().get("data").forEach(m -> ids.add(m.get("id").asText()));
    return ids;
  }

  private static Instant time(JsonNode node) {
    return Instant.parse(node.asText().replace("+00:00", "Z"));
  }

  @Test
  void aPostedMessageHasTheContractShape() {
    String key = newKey();
    String channel = broadcastChannel(key, "ttl_seconds", 600);
    Response posted = send(key, channel, json("content", "  hello\n", "metadata", Map.of("n", 1)));

    assertThat(posted.status()).isEqualTo(201);
    JsonNode m = posted.json().get("message");
    assertThat(posted.text("next_cursor")).isEqualTo(m.get("created_at").asText());
    List<String> names = new ArrayList<>();
    m.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrderElementsOf(MESSAGE_FIELDS);
    assertThat(m.get("id").asText()).hasSize(36);
    assertThat(m.get("seq").isIntegralNumber()).isTrue();
    assertThat(m.get("channel_id").asText()).isEqualTo(channel);
    assertThat(m.get("content").asText()).isEqualTo("hello");
    assertThat(m.get("metadata").get("n").asInt()).isEqualTo(1);
    assertThat(m.get("actor").isNull()).isTrue();
    assertThat(m.get("actor_label").isNull()).isTrue();
    assertThat(m.get("claimed_by").isNull()).isTrue();
    assertThat(m.get("claimed_by_key_id").isNull()).isTrue();
    assertThat(m.get("claimed_at").isNull()).isTrue();
    assertThat(m.get("mentions")).isEmpty();
    assertThat(m.get("acknowledged_by")).isEmpty();
    assertThat(m.get("active").asBoolean()).isTrue();
    assertThat(time(m.get("expires_at"))).isEqualTo(time(m.get("created_at")).plusSeconds(600));
    assertThat(posted.body()).doesNotContain("next_since", "claimed_by_actor_id", "\"status\"");
  }

  @Test
  void messagesAtOneFrozenInstantGetUniqueIncreasingTimestampsAndSeqs() {
    String key = newKey();
    String channel = broadcastChannel(key);
    JsonNode a = post(key, channel, "a");
    JsonNode b = post(key, channel, "b");
    JsonNode c = post(key, channel, "c");
    assertThat(time(a.get("created_at"))).isBefore(time(b.get("created_at")));
    assertThat(time(b.get("created_at"))).isBefore(time(c.get("created_at")));
    assertThat(a.get("seq").asLong()).isLessThan(b.get("seq").asLong());
    assertThat(b.get("seq").asLong()).isLessThan(c.get("seq").asLong());
    assertThat(ids(list(key, channel, ""))).containsExactly(a.get("id").asText(), b.get("id").asText(),
        c.get("id").asText());
  }

  @Test
  void contentIsRequiredAndCapped() {
    String key = newKey();
    String channel = broadcastChannel(key);
    expectError(send(key, channel, json()), 422, "missing_field");
    expectError(send(key, channel, json("content", null)), 422, "missing_field");
    expectError(send(key, channel, json("content", "")), 422, "invalid_string");
    expectError(send(key, channel, json("content", " \n ")), 422, "invalid_string");
    expectError(send(key, channel, json("content", 42)), 422, "invalid_string");
    expectError(send(key, channel, json("content", List.of("a"))), 422, "invalid_string");

    assertThat(send(key, channel, json("content", "x".repeat(10_000))).status()).isEqualTo(201);
    assertThat(send(key, channel, json("content", "  " + "y".repeat(10_000) + "  ")).status()).isEqualTo(201);
    Response tooLarge = send(key, channel, json("content", "é".repeat(5_001)));
    expectError(tooLarge, 422, "content_too_large");
    assertThat(tooLarge.json().get("max_content_bytes").asInt()).isEqualTo(10_000);
    assertThat(tooLarge.json().get("received_bytes").asInt()).isEqualTo(10_002);
    assertThat(tooLarge.json().has("details")).isFalse();
  }

  @Test
  void metadataMustBeAnObject() {
    String key = newKey();
    String channel = broadcastChannel(key);
    for (Object bad : List.of("text", 1, true, List.of(1))) {
      expectError(send(key, channel, json("content", "m", "metadata", bad)), 422, "invalid_object");
    }
    JsonNode none = send(key, channel, json("content", "null metadata", "metadata", null)).json().get("message");
    assertThat(none.get("metadata").isObject()).isTrue();
    assertThat(none.get("metadata")).isEmpty();
  }

  @Test
  void metadataIsValidatedAgainstTheChannelSchema() {
    String key = newKey();
    Map<String, Object> schema = Map.of(
        "type", "object",
        "required", List.of("task"),
        "additionalProperties", false,
        "properties", Map.of(
            "task", Map.of("type", "string", "minLength", 3, "pattern", "^T-"),
            "priority", Map.of("type", "integer", "maximum", 5),
            "level", Map.of("enum", List.of("low", "high"))));
    String channel = broadcastChannel(key, "metadata_schema", schema);

    Response bad = send(key, channel, json("content", "x", "metadata",
        Map.of("task", "x", "priority", 9, "level", "mid", "extra", 1)));
    expectError(bad, 422, "metadata_validation_failed");
    String violations = bad.json().get("violations").toString();
    assertThat(violations).contains("minLength", "pattern", "maximum", "additional property not allowed",
        "value must be one of", "metadata.task", "metadata.priority", "metadata.extra");
    assertThat(bad.json().get("violations").get(0).has("field")).isTrue();
    assertThat(bad.json().get("violations").get(0).has("issue")).isTrue();
    Response missing = send(key, channel, json("content", "x", "metadata", Map.of()));
    expectError(missing, 422, "metadata_validation_failed");
    assertThat(missing.json().get("violations").toString()).contains("required field missing");
    expectError(send(key, channel, json("content", "x", "metadata", Map.of("task", "T-1", "priority", true))), 422,
        "metadata_validation_failed");
    expectError(send(key, channel, json("content", "x", "metadata", Map.of("task", "T-1", "level", "mid"))), 422,
        "metadata_validation_failed");

    assertThat(send(key, channel, json("content", "ok", "metadata", Map.of("task", "T-100", "priority", 5,
        "level", "high"))).status()).isEqualTo(201);
  }

  @Test
  @Timeout(30)
  void aHostileSchemaPatternNeitherStallsNorStopsTheWriter() {
    String key = newKey();
    String channel = broadcastChannel(key, "metadata_schema", Map.of("properties", Map.of(
        "backtrack", Map.of("pattern", "^(a+)+\\1$"), "deep", Map.of("pattern", "(a|b)*c"))));
    Response slow = send(key, channel, json("content", "x", "metadata", Map.of("backtrack", "a".repeat(40) + "!")));
    expectError(slow, 422, "metadata_validation_failed");
    assertThat(slow.json().get("violations").toString()).contains("too expensive to evaluate");
    Response deep = send(key, channel, json("content", "y", "metadata", Map.of("deep", "ab".repeat(30_000))));
    expectError(deep, 422, "metadata_validation_failed");
    assertThat(send(key, broadcastChannel(key), json("content", "still writing")).status()).isEqualTo(201);
  }

  @Test
  void legacyFreeFormSchemasAcceptAnyMetadata() {
    String key = newKey();
    String channel = broadcastChannel(key, "metadata_schema", Map.of("severity", "string"));
    assertThat(send(key, channel, json("content", "x", "metadata", Map.of("severity", 3, "other", List.of())))
        .status()).isEqualTo(201);
  }

  @Test
  void actorsArePostedByIdOrAliasOfTheCallersOwnerOnly() {
    String key = newKey();
    String channel = broadcastChannel(key);
    JsonNode actor = api.post("/v1/actors", json("name", "poster")).key(key).send().json();
    String alias = "poster-" + UUID.randomUUID();
    api.post("/v1/actors/" + actor.get("id").asText() + "/aliases", json("alias", alias)).key(key).send();

    JsonNode byId = send(key, channel, json("content", "by id", "actor", actor.get("id").asText(),
        "actor_label", "  worker #1 ")).json().get("message");
    assertThat(byId.get("actor").get("id").asText()).isEqualTo(actor.get("id").asText());
    assertThat(byId.get("actor").get("name").asText()).isEqualTo("poster");
    assertThat(byId.get("actor_label").asText()).isEqualTo("worker #1");
    JsonNode byAlias = send(key, channel, json("content", "by alias", "actor", alias)).json().get("message");
    assertThat(byAlias.get("actor").get("id").asText()).isEqualTo(actor.get("id").asText());

    expectError(send(key, channel, json("content", "by name", "actor", "poster")), 404, "actor_not_found");
    expectError(send(key, channel, json("content", "empty", "actor", "")), 422, "invalid_string");
    expectError(send(key, channel, json("content", "number", "actor", 3)), 422, "invalid_string");
    expectError(send(newKey(), channel, json("content", "theft", "actor", alias)), 403, "actor_forbidden");
    assertThat(send(key, channel, json("content", "blank label", "actor_label", "")).json().get("message")
        .get("actor_label").isNull()).isTrue();
    expectError(send(key, channel, json("content", "label", "actor_label", 5)), 422, "invalid_string");
  }

  @Test
  void mentionsKeepKnownReadersOnceAndDropTheRest() {
    String owner = newKey();
    String reader = newKey();
    String outsider = newKey();
    String channel = createChannel(owner, "broadcast", "access", "restricted").get("id").asText();
    api.post("/v1/channels/" + channel + "/members", json("key_id", api.get("/v1/keys/me").key(reader).send()
        .text("key_id"))).key(owner).send();
    JsonNode readerActor = api.post("/v1/actors", json("name", "reader")).key(reader).send().json();
    JsonNode outsiderActor = api.post("/v1/actors", json("name", "outsider")).key(outsider).send().json();
    String readerAlias = "reader-" + UUID.randomUUID();
    api.post("/v1/actors/" + readerActor.get("id").asText() + "/aliases", json("alias", readerAlias)).key(reader)
        .send();

    List<Object> mentions = new ArrayList<>(List.of(readerActor.get("id").asText(), readerAlias,
        outsiderActor.get("id").asText(), "nobody-" + UUID.randomUUID()));
    mentions.add(null);
    JsonNode m = send(owner, channel, json("content", "ping", "mentions", mentions)).json().get("message");
    assertThat(m.get("mentions")).hasSize(1);
    assertThat(m.get("mentions").get(0).get("id").asText()).isEqualTo(readerActor.get("id").asText());
    assertThat(m.get("mentions").get(0).get("name").asText()).isEqualTo("reader");

    String open = broadcastChannel(owner);
    JsonNode anyone = send(owner, open, json("content", "ping all", "mentions",
        List.of(outsiderActor.get("id").asText()))).json().get("message");
    assertThat(anyone.get("mentions")).hasSize(1);
    expectError(send(owner, open, json("content", "x", "mentions", "reader")), 422, "invalid_mentions");
    expectError(send(owner, open, json("content", "x", "mentions", List.of(""))), 422, "invalid_string");
    expectError(send(owner, open, json("content", "x", "mentions", List.of(1))), 422, "invalid_string");
  }

  @Test
  void unknownChannelsAre404() {
    String key = newKey();
    expectError(send(key, "no-such-channel", json("content", "x")), 404, "channel_not_found");
    expectError(list(key, "no-such-channel", ""), 404, "channel_not_found");
    expectError(api.get("/v1/channels/no-such-channel/history").key(key).send(), 404, "channel_not_found");
  }

  @Test
  void pausedChannelsRefuseWritesWithRetryAfterButStillServeReads() {
    String key = newKey();
    String channel = claimableChannel(key);
    String message = postId(key, channel, "before the pause");
    api.patch("/v1/channels/" + channel, json("paused", true)).key(key).send();

    Response paused = send(key, channel, json("content", "during the pause"));
    expectError(paused, 503, "channel_paused");
    assertThat(paused.json().get("retry_after").asInt()).isEqualTo(30);
    assertThat(paused.header("Retry-After")).isEqualTo("30");
    assertThat(list(key, channel, "").status()).isEqualTo(200);
    assertThat(api.post("/v1/messages/" + message + "/claim", json()).key(key).send().status()).isEqualTo(200);
    assertThat(api.post("/v1/messages/" + message + "/ack", json()).key(key).send().status()).isEqualTo(200);

    api.patch("/v1/channels/" + channel, json("paused", false)).key(key).send();
    assertThat(send(key, channel, json("content", "after the pause")).status()).isEqualTo(201);
  }

  @Test
  void theWriteThrottleRefusesUntilAMinuteHasPassed() {
    String key = newKey();
    String channel = broadcastChannel(key, "max_writes_per_minute", 2);
    post(key, channel, "one");
    post(key, channel, "two");

    Response third = send(key, channel, json("content", "three"));
    expectError(third, 429, "channel_write_rate_exceeded");
    assertThat(third.json().get("retry_after").asInt()).isEqualTo(60);
    assertThat(third.header("Retry-After")).isEqualTo("60");

    server.clock().advance(Duration.ofSeconds(61));
    assertThat(send(key, channel, json("content", "three")).status()).isEqualTo(201);
  }

  @Test
  void theRingBufferKeepsTheNewestInInsertionOrderEvenAtOneInstant() {
    String key = newKey();
    String channel = broadcastChannel(key, "max_messages", 3);
    List<String> posted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      posted.add(postId(key, channel, "m" + i));
    }
    assertThat(ids(list(key, channel, ""))).containsExactly(posted.get(2), posted.get(3), posted.get(4));
    expectError(api.post("/v1/messages/" + posted.get(0) + "/ack", json()).key(key).send(), 404, "message_not_found");
    assertThat(api.get("/v1/channels/" + channel + "/history").key(key).send().json().get("data")).isEmpty();
  }

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
