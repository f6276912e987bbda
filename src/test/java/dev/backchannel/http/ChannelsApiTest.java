package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelsApiTest extends ChannelApiTestBase {
  @Test
  void aNewChannelHasExactlyTheContractFieldsAndDefaults() {
    Agent agent = newAgent();
    Response created = create(agent.key(), "name", "  jobs\n", "mode", "claimable");

    assertThat(created.status()).isEqualTo(201);
    JsonNode c = created.json();
    List<String> names = new ArrayList<>();
    c.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrderElementsOf(CHANNEL_FIELDS);
    assertThat(c.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(c.get("owner_id").asText()).isEqualTo(agent.label());
    assertThat(c.get("created_by_key_id").asText()).isEqualTo(agent.keyId());
    assertThat(c.get("name").asText()).isEqualTo("jobs");
    assertThat(c.get("mode").asText()).isEqualTo("claimable");
    assertThat(c.get("access").asText()).isEqualTo("open");
    assertThat(c.get("discoverable").asBoolean()).isTrue();
    assertThat(c.get("description").asText()).isEmpty();
    assertThat(c.get("metadata_schema").isObject()).isTrue();
    assertThat(c.get("metadata_schema")).isEmpty();
    assertThat(c.get("pinned_message").isNull()).isTrue();
    assertThat(c.get("ttl_seconds").asInt()).isEqualTo(86_400);
    assertThat(c.get("retention_days").asInt()).isEqualTo(7);
    assertThat(c.get("max_messages").isNull()).isTrue();
    assertThat(c.get("max_writes_per_minute").isNull()).isTrue();
    assertThat(c.get("paused").asBoolean()).isFalse();
    assertThat(c.get("aliases")).isEmpty();
    assertThat(c.get("related_channels")).isEmpty();
    assertThat(c.get("created_at").asText()).endsWith("+00:00").isEqualTo(c.get("updated_at").asText());
  }

  @Test
  void everyOptionalFieldIsStored() {
    String key = newKey();
    Response created = create(key, "name", "full", "mode", "broadcast", "access", "restricted", "discoverable", true,
        "description", " about ", "metadata_schema", Map.of("required", List.of("task")), "pinned_message", "read me",
        "webhook_url", "https://example.com/hook", "webhook_secret", "s3cret", "ttl_seconds", 600,
        "retention_days", 30, "max_messages", 10, "max_writes_per_minute", 5);

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode c = created.json();
    assertThat(c.get("access").asText()).isEqualTo("restricted");
    assertThat(c.get("discoverable").asBoolean()).isTrue();
    assertThat(c.get("description").asText()).isEqualTo("about");
    assertThat(c.get("metadata_schema").get("required").get(0).asText()).isEqualTo("task");
    assertThat(c.get("pinned_message").asText()).isEqualTo("read me");
    assertThat(c.get("ttl_seconds").asInt()).isEqualTo(600);
    assertThat(c.get("retention_days").asInt()).isEqualTo(30);
    assertThat(c.get("max_messages").asInt()).isEqualTo(10);
    assertThat(c.get("max_writes_per_minute").asInt()).isEqualTo(5);
    assertThat(c.has("webhook_url")).isFalse();
    assertThat(c.has("webhook_secret")).isFalse();
    assertThat(c.has("team_id")).isFalse();
  }

  @Test
  void restrictedChannelsAreNotDiscoverableByDefault() {
    String key = newKey();
    assertThat(createChannel(key, "broadcast", "access", "restricted").get("discoverable").asBoolean()).isFalse();
    assertThat(createChannel(key, "broadcast", "discoverable", false).get("discoverable").asBoolean()).isFalse();
  }

  @Test
  void emptyOptionalTextIsAcceptedAsAbsent() {
    JsonNode c = createChannel(newKey(), "broadcast", "description", "", "pinned_message", "");
    assertThat(c.get("description").asText()).isEmpty();
    assertThat(c.get("pinned_message").isNull()).isTrue();
    JsonNode blank = createChannel(newKey(), "broadcast", "description", "  ", "pinned_message", " \n");
    assertThat(blank.get("description").asText()).isEmpty();
    assertThat(blank.get("pinned_message").isNull()).isTrue();
  }

  @Test
  void duplicateNamesAreAllowed() {
    String key = newKey();
    assertThat(create(key, "name", "same", "mode", "broadcast").status()).isEqualTo(201);
    assertThat(create(key, "name", "same", "mode", "claimable").status()).isEqualTo(201);
  }

  @Test
  void nameAndModeAreRequired() {
    String key = newKey();
    expectError(create(key, "mode", "broadcast"), 422, "missing_field");
    expectError(create(key, "name", "x"), 422, "missing_field");
    expectError(create(key, "name", "   ", "mode", "broadcast"), 422, "invalid_string");
    expectError(create(key, "name", 5, "mode", "broadcast"), 422, "invalid_string");
    expectError(create(key, "name", "x", "mode", "fanout"), 422, "invalid_mode");
    expectError(create(key, "name", "x", "mode", 1), 422, "invalid_string");
  }

  @Test
  void badNamesAreInvalidChannelName() {
    String key = newKey();
    expectError(create(key, "name", "a\u0000b", "mode", "broadcast"), 422, "invalid_channel_name");
    expectError(create(key, "name", "a\u202Eb", "mode", "broadcast"), 422, "invalid_channel_name");
    expectError(create(key, "name", "n".repeat(201), "mode", "broadcast"), 422, "invalid_channel_name");
    assertThat(create(key, "name", "<b>Ops</b> & Co \uD83D\uDE80", "mode", "broadcast").status()).isEqualTo(201);
  }

  @Test
  void everyFieldIsValidated() {
    String key = newKey();
    Map<ObjectNode, String> cases = new java.util.LinkedHashMap<>();
    cases.put(base("access", null), "invalid_access");
    cases.put(base("access", "closed"), "invalid_access");
    cases.put(base("access", 1), "invalid_access");
    cases.put(base("discoverable", "yes"), "invalid_discoverable");
    cases.put(base("discoverable", 1), "invalid_discoverable");
    cases.put(base("description", 5), "invalid_string");
    cases.put(base("metadata_schema", "string"), "invalid_object");
    cases.put(base("metadata_schema", List.of()), "invalid_object");
    cases.put(base("pinned_message", 3), "invalid_string");
    cases.put(base("webhook_url", 3), "invalid_string");
    cases.put(base("webhook_url", "ftp://example.com"), "invalid_webhook_url");
    cases.put(base("webhook_secret", false), "invalid_string");
    cases.put(base("ttl_seconds", 299), "invalid_ttl_seconds");
    cases.put(base("ttl_seconds", 2_592_001), "invalid_ttl_seconds");
    cases.put(base("ttl_seconds", "600"), "invalid_ttl_seconds");
    cases.put(base("ttl_seconds", 600.0), "invalid_ttl_seconds");
    cases.put(base("ttl_seconds", 600.5), "invalid_ttl_seconds");
    cases.put(base("ttl_seconds", true), "invalid_ttl_seconds");
    cases.put(base("ttl_seconds", 1e300), "invalid_ttl_seconds");
    cases.put(base("ttl_seconds", new java.math.BigInteger("99999999999999999999999")), "invalid_ttl_seconds");
    cases.put(base("retention_days", 0), "invalid_retention_days");
    cases.put(base("retention_days", 366), "invalid_retention_days");
    cases.put(base("retention_days", true), "invalid_retention_days");
    cases.put(base("max_messages", 0), "invalid_max_messages");
    cases.put(base("max_messages", 1_000_001), "invalid_max_messages");
    cases.put(base("max_messages", true), "invalid_max_messages");
    cases.put(base("max_writes_per_minute", 0), "invalid_max_writes_per_minute");
    cases.put(base("max_writes_per_minute", "5"), "invalid_max_writes_per_minute");
    cases.put(base("related_channels", "abc"), "invalid_related_channels");
    cases.put(base("related_channels", Map.of()), "invalid_related_channels");
    cases.put(base("related_channels", List.of("")), "invalid_string");
    cases.put(base("related_channels", List.of(5)), "invalid_string");
    cases.forEach((body, code) -> expectError(api.post("/v1/channels", body).key(key).send(), 422, code));
  }

  @Test
  void boundaryValuesAreAccepted() {
    String key = newKey();
    JsonNode low = createChannel(key, "broadcast", "ttl_seconds", 300, "retention_days", 1, "max_messages", 1,
        "max_writes_per_minute", 1);
    assertThat(low.get("ttl_seconds").asInt()).isEqualTo(300);
    JsonNode high = createChannel(key, "broadcast", "ttl_seconds", 2_592_000, "retention_days", 365,
        "max_messages", 1_000_000, "max_writes_per_minute", 1_000_000, "max_messages", null);
    assertThat(high.get("retention_days").asInt()).isEqualTo(365);
    assertThat(high.get("max_messages").isNull()).isTrue();
  }

  @Test
  void theFirstFailureInTableOrderWins() {
    String key = newKey();
    expectError(create(key, "name", "a\u0001", "mode", "nope"), 422, "invalid_channel_name");
    expectError(create(key, "name", "ok", "mode", "nope", "access", "nope"), 422, "invalid_mode");
    expectError(create(key, "name", "ok", "mode", "broadcast", "ttl_seconds", 1, "retention_days", 0), 422,
        "invalid_ttl_seconds");
  }

  @Test
  void relatedChannelsResolveByIdOrAliasAndAreSortedByName() {
    String key = newKey();
    JsonNode zeta = createChannel(key, "broadcast");
    String alpha = uniqueAlias("alpha");
    JsonNode alphaChannel = createChannel(key, "claimable");
    api.patch("/v1/channels/" + alphaChannel.get("id").asText(), json("name", "alpha")).key(key).send();
    api.patch("/v1/channels/" + zeta.get("id").asText(), json("name", "zeta")).key(key).send();
    api.post("/v1/channels/" + alphaChannel.get("id").asText() + "/aliases", json("alias", alpha)).key(key).send();

    JsonNode linked = createChannel(key, "broadcast", "related_channels", List.of(zeta.get("id").asText(), alpha));
    JsonNode related = linked.get("related_channels");
    assertThat(related).hasSize(2);
    assertThat(related.get(0).get("name").asText()).isEqualTo("alpha");
    assertThat(related.get(0).get("mode").asText()).isEqualTo("claimable");
    assertThat(related.get(0).get("id").asText()).isEqualTo(alphaChannel.get("id").asText());
    assertThat(related.get(1).get("name").asText()).isEqualTo("zeta");

    expectError(create(key, "name", "x", "mode", "broadcast", "related_channels", List.of("no-such-channel")), 404,
        "channel_not_found");
  }

  @Test
  void aChannelResolvesByIdAliasAndTheOwnersNewestName() {
    Agent owner = newAgent();
    String name = "writers-" + owner.keyId();
    String older = createChannel(owner.key(), "broadcast", "name", name).get("id").asText();
    String newer = createChannel(owner.key(), "broadcast", "name", name).get("id").asText();
    String alias = uniqueAlias("w");
    api.post("/v1/channels/" + older + "/aliases", json("alias", alias)).key(owner.key()).send();

    assertThat(api.get("/v1/channels/" + older).key(owner.key()).send().text("id")).isEqualTo(older);
    assertThat(api.get("/v1/channels/" + alias).key(owner.key()).send().text("id")).isEqualTo(older);
    assertThat(api.get("/v1/channels/" + name).key(owner.key()).send().text("id")).isEqualTo(newer);

    String stranger = newKey();
    expectError(api.get("/v1/channels/" + name).key(stranger).send(), 404, "channel_not_found");
    assertThat(api.get("/v1/channels/" + alias).key(stranger).send().text("id")).isEqualTo(older);
    assertThat(api.get("/v1/channels/" + older).key(stranger).send().status()).isEqualTo(200);
  }

  @Test
  void namesWithSpacesResolvePercentEncoded() {
    String key = newKey();
    String id = createChannel(key, "broadcast", "name", "Ops Alerts").get("id").asText();
    assertThat(api.get("/v1/channels/Ops%20Alerts").key(key).send().text("id")).isEqualTo(id);
  }

  @Test
  void unknownChannelsAre404() {
    expectError(api.get("/v1/channels/nope").key(newKey()).send(), 404, "channel_not_found");
  }

  @Test
  void restrictedChannelsAre403ToNonMembers() {
    String owner = newKey();
    String id = createChannel(owner, "broadcast", "access", "restricted").get("id").asText();
    expectError(api.get("/v1/channels/" + id).key(newKey()).send(), 403, "channel_access_denied");
    assertThat(api.get("/v1/channels/" + id).key(owner).send().status()).isEqualTo(200);
  }
}
