package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ActorsApiTest extends ApiTest {

  private JsonNode actor(String key, String name) {
    Response created = api.post("/v1/actors", json("name", name)).key(key)
        .header("Idempotency-Key", UUID.randomUUID().toString()).send();
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  private String alias(String key, String actorId) {
    String alias = "actor-" + UUID.randomUUID();
    assertThat(api.post("/v1/actors/" + actorId + "/aliases", json("alias", alias)).key(key).send().status())
        .isEqualTo(201);
    return alias;
  }

  @Test
  void anActorHasTheContractShape() {
    Agent agent = newAgent();
    Response created = api.post("/v1/actors", json("name", " planner ", "description", "plans things",
        "metadata", Map.of("tier", 2))).key(agent.key()).send();
    assertThat(created.status()).isEqualTo(201);
    JsonNode a = created.json();
    List<String> names = new ArrayList<>();
    a.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("id", "owner_id", "created_by_key_id", "name", "description",
        "metadata", "aliases", "created_at", "updated_at");
    assertThat(a.get("owner_id").asText()).isEqualTo(agent.label());
    assertThat(a.get("created_by_key_id").asText()).isEqualTo(agent.keyId());
    assertThat(a.get("name").asText()).isEqualTo("planner");
    assertThat(a.get("description").asText()).isEqualTo("plans things");
    assertThat(a.get("metadata").get("tier").asInt()).isEqualTo(2);
    assertThat(a.get("aliases")).isEmpty();

    JsonNode plain = actor(agent.key(), "plain");
    assertThat(plain.get("description").asText()).isEmpty();
    assertThat(plain.get("metadata")).isEmpty();
  }

  @Test
  void namesAreNotUnique() {
    String key = newKey();
    assertThat(actor(key, "twin").get("id").asText()).isNotEqualTo(actor(key, "twin").get("id").asText());
  }

  @Test
  void actorBodiesAreValidated() {
    String key = newKey();
    expectError(api.post("/v1/actors", json()).key(key).send(), 422, "missing_field");
    expectError(api.post("/v1/actors", json("name", "")).key(key).send(), 422, "invalid_string");
    expectError(api.post("/v1/actors", json("name", 1)).key(key).send(), 422, "invalid_string");
    expectError(api.post("/v1/actors", json("name", "x", "description", 1)).key(key).send(), 422, "invalid_string");
    expectError(api.post("/v1/actors", json("name", "x", "metadata", List.of())).key(key).send(), 422,
        "invalid_object");
    assertThat(api.post("/v1/actors", json("name", "x", "description", "")).key(key).send().status()).isEqualTo(201);
  }

  @Test
  void anyKeyReadsAndAliasesAnyActorByIdOrAlias() {
    String owner = newKey();
    String stranger = newKey();
    JsonNode a = actor(owner, "readable");
    String id = a.get("id").asText();

    assertThat(api.get("/v1/actors/" + id).key(stranger).send().text("name")).isEqualTo("readable");
    String alias = alias(stranger, id);
    Response byAlias = api.get("/v1/actors/" + alias).key(owner).send();
    assertThat(byAlias.text("id")).isEqualTo(id);
    assertThat(byAlias.json().get("aliases").get(0).asText()).isEqualTo(alias);
    expectError(api.get("/v1/actors/readable").key(owner).send(), 404, "actor_not_found");
    expectError(api.get("/v1/actors/" + UUID.randomUUID()).key(owner).send(), 404, "actor_not_found");
  }

  @Test
  void actorAliasesAreUniqueSortedAndSeparateFromChannelAliases() {
    String key = newKey();
    String id = actor(key, "aliased").get("id").asText();
    String shared = "shared-" + UUID.randomUUID();
    assertThat(api.post("/v1/actors/" + id + "/aliases", json("alias", "z-" + shared)).key(key).send().status())
        .isEqualTo(201);
    Response second = api.post("/v1/actors/" + id + "/aliases", json("alias", "a-" + shared)).key(key).send();
    assertThat(second.json().get("aliases")).extracting(JsonNode::asText).containsExactly("a-" + shared,
        "z-" + shared);
    String other = actor(key, "other").get("id").asText();
    expectError(api.post("/v1/actors/" + other + "/aliases", json("alias", "a-" + shared)).key(key).send(), 409,
        "alias_conflict");
    String channel = broadcastChannel(key);
    assertThat(api.post("/v1/channels/" + channel + "/aliases", json("alias", "a-" + shared)).key(key).send()
        .status()).isEqualTo(201);
    expectError(api.post("/v1/actors/" + UUID.randomUUID() + "/aliases", json("alias", "x-" + shared)).key(key)
        .send(), 404, "actor_not_found");
    expectError(api.post("/v1/actors/" + id + "/aliases", json()).key(key).send(), 422, "missing_field");
  }

  @Test
  void webhooksAreUpsertedReadAndDeletedByTheOwner() {
    String key = newKey();
    String id = actor(key, "hooked").get("id").asText();
    expectError(api.get("/v1/actors/" + id + "/webhook").key(key).send(), 404, "webhook_not_found");

    Response set = api.post("/v1/actors/" + id + "/webhook", json("url", "https://example.com/a", "secret", null))
        .key(key).send();
    assertThat(set.status()).isEqualTo(200);
    assertThat(set.text("actor_id")).isEqualTo(id);
    assertThat(set.text("url")).isEqualTo("https://example.com/a");
    assertThat(set.json().get("has_secret").asBoolean()).isFalse();
    Response replaced = api.post("/v1/actors/" + id + "/webhook", json("url", "HTTP://example.com/b", "secret", "s"))
        .key(key).send();
    assertThat(replaced.json().get("has_secret").asBoolean()).isTrue();

    Response read = api.get("/v1/actors/" + id + "/webhook").key(key).send();
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.text("url")).isEqualTo("HTTP://example.com/b");
    assertThat(read.json().get("has_secret").asBoolean()).isTrue();
    assertThat(read.text("updated_at")).endsWith("+00:00");
    assertThat(read.body()).doesNotContain("\"secret\"");

    Response deleted = api.delete("/v1/actors/" + id + "/webhook").key(key).send();
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
    expectError(api.get("/v1/actors/" + id + "/webhook").key(key).send(), 404, "webhook_not_found");
    Response again = api.delete("/v1/actors/" + id + "/webhook").key(key)
        .header("Idempotency-Key", UUID.randomUUID().toString()).send();
    assertThat(again.status()).isEqualTo(200);
  }

  @Test
  void webhookUrlsMustBeHttp() {
    String key = newKey();
    String id = actor(key, "strict").get("id").asText();
    for (Object bad : List.of("ftp://example.com", "example.com", "", 5)) {
      expectError(api.post("/v1/actors/" + id + "/webhook", json("url", bad)).key(key).send(), 422,
          "invalid_webhook_url");
    }
    expectError(api.post("/v1/actors/" + id + "/webhook", json()).key(key).send(), 422, "invalid_webhook_url");
  }

  @Test
  void webhooksTakeAnActorIdOwnedByTheCaller() {
    String owner = newKey();
    String stranger = newKey();
    String id = actor(owner, "guarded").get("id").asText();
    String alias = alias(owner, id);
    api.post("/v1/actors/" + id + "/webhook", json("url", "https://example.com/h")).key(owner).send();

    expectError(api.post("/v1/actors/" + id + "/webhook", json("url", "https://evil.example")).key(stranger).send(),
        403, "actor_forbidden");
    expectError(api.get("/v1/actors/" + id + "/webhook").key(stranger).send(), 403, "actor_forbidden");
    expectError(api.delete("/v1/actors/" + id + "/webhook").key(stranger).send(), 403, "actor_forbidden");
    expectError(api.get("/v1/actors/" + alias + "/webhook").key(owner).send(), 404, "actor_not_found");
    expectError(api.post("/v1/actors/" + UUID.randomUUID() + "/webhook", json("url", "https://x.example")).key(owner)
        .send(), 404, "actor_not_found");
  }

  @Test
  void actingAsAnotherOwnersActorIsForbiddenForEveryClaimVerb() {
    String owner = newKey();
    String thief = newKey();
    String channel = claimableChannel(owner);
    JsonNode theirs = actor(owner, "theirs");
    String id = theirs.get("id").asText();
    String alias = alias(owner, id);
    String message = postId(owner, channel, "guarded work");

    for (String ref : List.of(id, alias)) {
      for (String verb : List.of("claim", "claim-with-lease", "ack", "release")) {
        expectError(api.post("/v1/messages/" + message + "/" + verb, json("actor", ref)).key(thief).send(),
            verb.equals("release") ? 409 : 403, verb.equals("release") ? "not_claimed" : "actor_forbidden");
      }
    }
    api.post("/v1/messages/" + message + "/claim", json("actor", id)).key(owner).send();
    expectError(api.post("/v1/messages/" + message + "/release", json("actor", alias)).key(thief).send(), 403,
        "actor_forbidden");
    expectError(api.post("/v1/channels/" + channel + "/messages", json("content", "as them", "actor", id)).key(thief)
        .send(), 403, "actor_forbidden");
  }

  @Test
  void aNameThatIsSomeoneElsesAliasIsForbiddenInsteadOfAutoCreated() {
    String owner = newKey();
    String other = newKey();
    String alias = alias(owner, actor(owner, "aliased").get("id").asText());
    String message = postId(other, claimableChannel(other), "alias clash");
    expectError(api.post("/v1/messages/" + message + "/claim", json("actor", alias)).key(other).send(), 403,
        "actor_forbidden");
  }

  @Test
  void claimVerbsResolveIdThenAliasThenOwnNameThenCreate() {
    Agent agent = newAgent();
    String channel = claimableChannel(agent.key());
    JsonNode named = actor(agent.key(), "by-name");
    String alias = alias(agent.key(), named.get("id").asText());

    Response byName = api.post("/v1/messages/" + postId(agent.key(), channel, "n") + "/claim",
        json("actor", "by-name")).key(agent.key()).send();
    assertThat(byName.json().get("message").get("claimed_by").get("id").asText()).isEqualTo(named.get("id").asText());
    Response byAlias = api.post("/v1/messages/" + postId(agent.key(), channel, "a") + "/ack", json("actor", alias))
        .key(agent.key()).send();
    assertThat(byAlias.json().get("message").get("acknowledged_by").get(0).get("id").asText())
        .isEqualTo(named.get("id").asText());

    Response byDefault = api.post("/v1/messages/" + postId(agent.key(), channel, "d") + "/claim", json("actor", null))
        .key(agent.key()).send();
    JsonNode defaultActor = byDefault.json().get("message").get("claimed_by");
    assertThat(defaultActor.get("name").asText()).isEqualTo(agent.label());
    Response fetched = api.get("/v1/actors/" + defaultActor.get("id").asText()).key(agent.key()).send();
    assertThat(fetched.text("created_by_key_id")).isEqualTo(agent.keyId());
    Response absent = api.post("/v1/messages/" + postId(agent.key(), channel, "e") + "/claim").key(agent.key()).send();
    assertThat(absent.json().get("message").get("claimed_by").get("id").asText())
        .isEqualTo(defaultActor.get("id").asText());
  }

  @Test
  void anotherOwnersActorNameIsNotResolvedButCreatedAfresh() {
    String owner = newKey();
    String other = newKey();
    String theirs = actor(owner, "common-name").get("id").asText();
    String message = postId(other, claimableChannel(other), "same name");
    Response claimed = api.post("/v1/messages/" + message + "/claim", json("actor", "common-name")).key(other).send();
    assertThat(claimed.status()).isEqualTo(200);
    assertThat(claimed.json().get("message").get("claimed_by").get("id").asText()).isNotEqualTo(theirs);
  }
}
