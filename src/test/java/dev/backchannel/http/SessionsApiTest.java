package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionsApiTest extends ApiTest {

  private JsonNode create(String key, Object... body) {
    Response created = api.post("/v1/sessions", json(body)).key(key).send();
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  @Test
  void aSessionHasTheContractShapeAndLives24Hours() {
    String key = newKey();
    JsonNode s = create(key, "name", " scratch ", "state", Map.of("step", 1), "metadata", Map.of("ignored", true));
    List<String> names = new ArrayList<>();
    s.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("id", "name", "state", "created_at", "updated_at", "expires_at");
    assertThat(s.get("id").asText()).hasSize(36);
    assertThat(s.get("name").asText()).isEqualTo("scratch");
    assertThat(s.get("state").get("step").asInt()).isEqualTo(1);
    Instant created = Instant.parse(s.get("created_at").asText().replace("+00:00", "Z"));
    assertThat(Instant.parse(s.get("expires_at").asText().replace("+00:00", "Z")))
        .isEqualTo(created.plus(Duration.ofHours(24)));
    assertThat(create(key, "name", "empty").get("state")).isEmpty();
  }

  @Test
  void sessionBodiesAreValidated() {
    String key = newKey();
    expectError(api.post("/v1/sessions", json()).key(key).send(), 422, "missing_field");
    expectError(api.post("/v1/sessions", json("name", "")).key(key).send(), 422, "invalid_string");
    expectError(api.post("/v1/sessions", json("name", "x", "state", "not an object")).key(key).send(), 422,
        "invalid_object");
    expectError(api.post("/v1/sessions", json("name", "x", "state", List.of(1))).key(key).send(), 422,
        "invalid_object");
  }

  @Test
  void sessionsBelongToTheirKey() {
    String owner = newKey();
    String other = newKey();
    String id = create(owner, "name", "private").get("id").asText();
    assertThat(api.get("/v1/sessions/" + id).key(owner).send().status()).isEqualTo(200);
    expectError(api.get("/v1/sessions/" + id).key(other).send(), 404, "session_not_found");
    expectError(api.patch("/v1/sessions/" + id, json("state", Map.of("x", 1))).key(other).send(), 404,
        "session_not_found");
    expectError(api.delete("/v1/sessions/" + id).key(other).send(), 404, "session_not_found");
    assertThat(api.get("/v1/sessions").key(other).send().json().get("data")).isEmpty();
    expectError(api.get("/v1/sessions/" + UUID.randomUUID()).key(owner).send(), 404, "session_not_found");
  }

  @Test
  void listingIsNewestFirst() {
    String key = newKey();
    String first = create(key, "name", "first").get("id").asText();
    server.clock().advance(Duration.ofSeconds(1));
    String second = create(key, "name", "second").get("id").asText();
    Response list = api.get("/v1/sessions").key(key).send();
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("data")).extracting(s -> s.get("id").asText()).containsExactly(second, first);
  }

  @Test
  void patchMergesStateShallowlyAndKeepsNameAndExpiry() {
    String key = newKey();
    JsonNode s = create(key, "name", "merge", "state", Map.of("a", 1, "nested", Map.of("x", 1)));
    String id = s.get("id").asText();
    server.clock().advance(Duration.ofSeconds(10));

    Response patched = api.patch("/v1/sessions/" + id, json("state", Map.of("b", 2, "nested", Map.of("y", 2))))
        .key(key).send();
    assertThat(patched.status()).isEqualTo(200);
    JsonNode state = patched.json().get("state");
    assertThat(state.get("a").asInt()).isEqualTo(1);
    assertThat(state.get("b").asInt()).isEqualTo(2);
    assertThat(state.get("nested").has("x")).isFalse();
    assertThat(state.get("nested").get("y").asInt()).isEqualTo(2);
    assertThat(patched.text("name")).isEqualTo("merge");
    assertThat(patched.text("expires_at")).isEqualTo(s.get("expires_at").asText());
    assertThat(patched.text("updated_at")).isNotEqualTo(s.get("updated_at").asText());

    Response bare = api.patch("/v1/sessions/" + id, json("c", 3, "name", "not a rename")).key(key).send();
    assertThat(bare.json().get("state").get("c").asInt()).isEqualTo(3);
    assertThat(bare.json().get("state").get("name").asText()).isEqualTo("not a rename");
    assertThat(bare.text("name")).isEqualTo("merge");
    assertThat(api.get("/v1/sessions/" + id).key(key).send().json().get("state").get("b").asInt()).isEqualTo(2);
    expectError(api.patch("/v1/sessions/" + id, json("state", 5)).key(key).send(), 422, "invalid_object");
  }

  @Test
  void deleteRemovesTheSession() {
    String key = newKey();
    String id = create(key, "name", "doomed").get("id").asText();
    Response deleted = api.delete("/v1/sessions/" + id).key(key).send();
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.text("status")).isEqualTo("deleted");
    expectError(api.get("/v1/sessions/" + id).key(key).send(), 404, "session_not_found");
    expectError(api.delete("/v1/sessions/" + id).key(key).header("Idempotency-Key", "again").send(), 404,
        "session_not_found");
  }
}
