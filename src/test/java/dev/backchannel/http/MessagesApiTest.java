package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Posting messages: their shape, validation, actors, mentions, and the channel's write limits. */
class MessagesApiTest extends MessagesApiTestBase {
  private static final List<String> MESSAGE_FIELDS = List.of("id", "seq", "channel_id", "actor", "actor_label",
      "content", "metadata", "created_at", "expires_at", "claimed_by", "claimed_by_key_id", "mentions", "claimed_at",
      "acknowledged_by", "active", "priority", "deliver_at", "delivery_count", "fence", "dead_lettered_from",
      "last_failure", "edited_at", "edit_count");

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
    expectError(send(key, channel, json("content", null)), 422, "invalid_string");
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
}
