package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.testing.ApiClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Changing channels: PATCH, DELETE, aliases, discovery and per-channel metrics. */
class ChannelChangesApiTest extends ChannelApiTestBase {
  @Test
  void patchChangesAllowedFieldsAndMovesUpdatedAtOnlyOnChange() {
    String key = newKey();
    JsonNode c = createChannel(key, "broadcast");
    String id = c.get("id").asText();
    server.clock().advance(Duration.ofSeconds(5));

    Response unchanged = api.patch("/v1/channels/" + id, json()).key(key).send();
    assertThat(unchanged.status()).isEqualTo(200);
    assertThat(unchanged.text("updated_at")).isEqualTo(c.get("updated_at").asText());
    Response same = api.patch("/v1/channels/" + id, json("mode", "broadcast")).key(key).send();
    assertThat(same.text("updated_at")).isEqualTo(c.get("updated_at").asText());

    Response patched = api.patch("/v1/channels/" + id, json("name", "renamed", "mode", "claimable", "access",
        "restricted", "discoverable", false, "description", "d", "metadata_schema", Map.of("type", "object"),
        "pinned_message", "p", "retention_days", 3, "max_messages", 9, "max_writes_per_minute", 8, "paused", true))
        .key(key).send();
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    JsonNode p = patched.json();
    assertThat(p.get("name").asText()).isEqualTo("renamed");
    assertThat(p.get("mode").asText()).isEqualTo("claimable");
    assertThat(p.get("access").asText()).isEqualTo("restricted");
    assertThat(p.get("discoverable").asBoolean()).isFalse();
    assertThat(p.get("description").asText()).isEqualTo("d");
    assertThat(p.get("metadata_schema").get("type").asText()).isEqualTo("object");
    assertThat(p.get("pinned_message").asText()).isEqualTo("p");
    assertThat(p.get("retention_days").asInt()).isEqualTo(3);
    assertThat(p.get("max_messages").asInt()).isEqualTo(9);
    assertThat(p.get("max_writes_per_minute").asInt()).isEqualTo(8);
    assertThat(p.get("paused").asBoolean()).isTrue();
    assertThat(p.get("updated_at").asText()).isNotEqualTo(c.get("updated_at").asText());
    assertThat(p.get("created_at").asText()).isEqualTo(c.get("created_at").asText());
  }

  @Test
  void updatedAtNeverPrecedesCreatedAt() {
    String key = newKey();
    broadcastChannel(key);
    JsonNode c = createChannel(key, "broadcast");
    JsonNode p = api.patch("/v1/channels/" + c.get("id").asText(), json("description", "changed at once"))
        .key(key).send().json();
    assertThat(p.get("updated_at").asText().compareTo(p.get("created_at").asText())).isGreaterThanOrEqualTo(0);
  }

  @Test
  void patchWithNullsClearsOrResets() {
    String key = newKey();
    String id = createChannel(key, "broadcast", "description", "d", "pinned_message", "p", "metadata_schema",
        Map.of("required", List.of("a")), "max_messages", 5, "max_writes_per_minute", 5).get("id").asText();

    JsonNode p = api.patch("/v1/channels/" + id, json("description", null, "pinned_message", null,
        "metadata_schema", null, "max_messages", null, "max_writes_per_minute", null, "related_channels", null))
        .key(key).send().json();
    assertThat(p.get("description").asText()).isEmpty();
    assertThat(p.get("pinned_message").isNull()).isTrue();
    assertThat(p.get("metadata_schema")).isEmpty();
    assertThat(p.get("max_messages").isNull()).isTrue();
    assertThat(p.get("max_writes_per_minute").isNull()).isTrue();
  }

  @Test
  void patchReplacesRelatedChannelsAndSkipsTheChannelItself() {
    String key = newKey();
    String a = broadcastChannel(key);
    String b = broadcastChannel(key);
    String id = createChannel(key, "broadcast", "related_channels", List.of(a)).get("id").asText();

    JsonNode p = api.patch("/v1/channels/" + id, json("related_channels", List.of(b, id))).key(key).send().json();
    assertThat(p.get("related_channels")).extracting(n -> n.get("id").asText()).containsExactly(b);
    JsonNode cleared = api.patch("/v1/channels/" + id, json("related_channels", List.of())).key(key).send().json();
    assertThat(cleared.get("related_channels")).isEmpty();
  }

  @Test
  void patchRefusesUnknownFieldsListingThemSorted() {
    String key = newKey();
    String id = broadcastChannel(key);
    Response refused = api.patch("/v1/channels/" + id, json("webhook_url", "https://x", "ttl_seconds", 600,
        "description", "ok", "colour", "red")).key(key).send();
    expectError(refused, 422, "invalid_fields");
    assertThat(refused.json().get("fields")).extracting(JsonNode::asText)
        .containsExactly("colour", "ttl_seconds", "webhook_url");
    assertThat(api.get("/v1/channels/" + id).key(key).send().text("description")).isEmpty();
  }

  @Test
  void patchValidatesEachField() {
    String key = newKey();
    String id = broadcastChannel(key);
    Map<ObjectNode, String> cases = new java.util.LinkedHashMap<>();
    cases.put(json("access", null), "invalid_access");
    cases.put(json("discoverable", null), "invalid_discoverable");
    cases.put(json("discoverable", "no"), "invalid_discoverable");
    cases.put(json("paused", 0), "invalid_paused");
    cases.put(json("paused", null), "invalid_paused");
    cases.put(json("name", ""), "invalid_string");
    cases.put(json("name", "bad\u0007"), "invalid_channel_name");
    cases.put(json("mode", "x"), "invalid_mode");
    cases.put(json("retention_days", 400), "invalid_retention_days");
    cases.put(json("max_messages", -1), "invalid_max_messages");
    cases.put(json("metadata_schema", 1), "invalid_object");
    cases.put(json("related_channels", "x"), "invalid_related_channels");
    cases.forEach((body, code) -> expectError(api.patch("/v1/channels/" + id, body).key(key).send(), 422, code));
    expectError(api.patch("/v1/channels/" + id, json("related_channels", List.of("missing-one"))).key(key).send(),
        404, "channel_not_found");
  }

  @Test
  void onlyTheOwnerMayPatchNameAccessDiscoverableAndPaused() {
    String owner = newKey();
    String other = newKey();
    String id = broadcastChannel(owner);
    for (ObjectNode body : List.of(json("name", "mine"), json("access", "restricted"), json("discoverable", false),
        json("paused", true))) {
      expectError(api.patch("/v1/channels/" + id, body).key(other).send(), 403, "forbidden");
    }
    Response described = api.patch("/v1/channels/" + id, json("description", "by a member")).key(other).send();
    assertThat(described.status()).isEqualTo(200);
    assertThat(described.text("description")).isEqualTo("by a member");
  }

  @Test
  void deleteIsOwnerOnlyAnd204WithAnEmptyBody() {
    String owner = newKey();
    String id = broadcastChannel(owner);
    String message = postId(owner, id, "gone with the channel");
    expectError(api.delete("/v1/channels/" + id).key(newKey()).send(), 403, "forbidden");

    Response deleted = api.delete("/v1/channels/" + id).key(owner).send();
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.raw()).isEmpty();
    assertThat(deleted.header("Content-Type")).isEqualTo("application/json");
    expectError(api.get("/v1/channels/" + id).key(owner).send(), 404, "channel_not_found");
    expectError(api.post("/v1/messages/" + message + "/ack", json()).key(owner).send(), 404, "message_not_found");
  }

  @Test
  void aliasesAreGlobalUniqueAndSorted() {
    String key = newKey();
    String id = broadcastChannel(key);
    String b = uniqueAlias("b");
    String a = uniqueAlias("a");
    Response first = api.post("/v1/channels/" + id + "/aliases", json("alias", b)).key(key).send();
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().get("aliases")).extracting(JsonNode::asText).containsExactly(b);
    Response second = api.post("/v1/channels/" + id + "/aliases", json("alias", a)).key(key).send();
    assertThat(second.json().get("aliases")).extracting(JsonNode::asText).containsExactly(a, b);

    String otherOwnersChannel = broadcastChannel(newKey());
    expectError(api.post("/v1/channels/" + otherOwnersChannel + "/aliases", json("alias", a)).key(newKey()).send(),
        409, "alias_conflict");
    expectError(api.post("/v1/channels/" + id + "/aliases", json()).key(key).send(), 422, "missing_field");
  }

  @Test
  void aliasesFollowTheNameRules() {
    String key = newKey();
    String id = broadcastChannel(key);
    for (String bad : List.of("tab\there", "bidi\u202Eflip", "x".repeat(201))) {
      expectError(api.post("/v1/channels/" + id + "/aliases", json("alias", bad)).key(key).send(), 422,
          "invalid_string");
      JsonNode actor = api.post("/v1/actors", json("name", "aliased")).key(key).send().json();
      expectError(api.post("/v1/actors/" + actor.get("id").asText() + "/aliases", json("alias", bad)).key(key).send(),
          422, "invalid_string");
    }
    assertThat(api.get("/v1/channels/" + id).key(key).send().json().get("aliases")).isEmpty();
  }

  @Test
  void discoveryListsDiscoverableChannelsNewestFirstWithMembership() {
    String owner = newKey();
    String viewer = newKey();
    String hidden = broadcastChannel(owner, "discoverable", false);
    String lobby = createChannel(owner, "claimable", "access", "restricted", "discoverable", true).get("id").asText();
    String open = broadcastChannel(owner, "description", "open one");

    Response page = api.get("/v1/channels?limit=2").key(viewer).send();
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.json().get("limit").asInt()).isEqualTo(2);
    JsonNode data = page.json().get("data");
    assertThat(data).extracting(n -> n.get("id").asText()).containsExactly(open, lobby);
    assertThat(data.get(0).get("description").asText()).isEqualTo("open one");
    assertThat(data.get(0).get("is_member").asBoolean()).isFalse();
    assertThat(data.get(1).get("access").asText()).isEqualTo("restricted");
    List<String> itemFields = new ArrayList<>();
    data.get(0).fieldNames().forEachRemaining(itemFields::add);
    assertThat(itemFields).containsExactlyInAnyOrder("id", "name", "mode", "access", "description", "created_at",
        "is_member");
    assertThat(page.text("next_cursor")).isEqualTo(data.get(1).get("created_at").asText());

    Response next = api.get("/v1/channels?limit=5&cursor=" + encode(page.text("next_cursor"))).key(viewer).send();
    assertThat(next.json().get("data")).extracting(n -> n.get("id").asText()).doesNotContain(open, lobby, hidden);
    JsonNode mine = api.get("/v1/channels?limit=1").key(owner).send().json().get("data").get(0);
    assertThat(mine.get("is_member").asBoolean()).isTrue();
  }

  @Test
  void discoveryClampsTheLimitAndRefusesGarbage() {
    String key = newKey();
    broadcastChannel(key);
    broadcastChannel(key);
    assertThat(api.get("/v1/channels?limit=0").key(key).send().json().get("limit").asInt()).isEqualTo(1);
    assertThat(api.get("/v1/channels?limit=500").key(key).send().json().get("limit").asInt()).isEqualTo(100);
    expectError(api.get("/v1/channels?limit=ten").key(key).send(), 422, "invalid_limit");
    expectError(api.get("/v1/channels?cursor=garbage").key(key).send(), 422, "invalid_cursor");
  }

  @Test
  void aShortDiscoveryPageHasNoCursor() {
    String key = newKey();
    broadcastChannel(key);
    Response all = api.get("/v1/channels?limit=100&since=" + encode("2100-01-01T00:00:00+00:00")).key(key).send();
    int count = all.json().get("data").size();
    if (count < 100) {
      assertThat(all.json().get("next_cursor").isNull()).isTrue();
    }
    Response none = api.get("/v1/channels?cursor=" + encode("2000-01-01T00:00:00Z")).key(key).send();
    assertThat(none.json().get("data")).isEmpty();
    assertThat(none.json().get("next_cursor").isNull()).isTrue();
  }

  @Test
  void channelMetricsCountMessagesByState() {
    String owner = newKey();
    String member = newKey();
    String id = claimableChannel(owner);
    String first = postId(owner, id, "one");
    postId(owner, id, "two");
    postId(owner, id, "three");
    api.post("/v1/messages/" + first + "/claim", json()).key(member).send();
    server.clock().advance(Duration.ofMillis(1500));
    api.post("/v1/messages/" + first + "/ack", json()).key(member).send();

    Response metrics = api.get("/v1/channels/" + id + "/metrics").key(member).send();
    assertThat(metrics.status()).isEqualTo(200);
    JsonNode m = metrics.json();
    assertThat(m.get("channel_id").asText()).isEqualTo(id);
    JsonNode counts = m.get("message_counts");
    assertThat(counts.get("total").asInt()).isEqualTo(3);
    assertThat(counts.get("unclaimed").asInt()).isEqualTo(2);
    assertThat(counts.get("claimed").asInt()).isEqualTo(1);
    assertThat(counts.get("acknowledged").asInt()).isEqualTo(1);
    assertThat(m.get("avg_claim_to_ack_ms").asLong()).isEqualTo(1500);
    assertThat(m.get("computed_at").asText()).endsWith("+00:00");

    JsonNode empty = api.get("/v1/channels/" + broadcastChannel(owner) + "/metrics").key(owner).send().json();
    assertThat(empty.get("avg_claim_to_ack_ms").isNull()).isTrue();
  }
}
