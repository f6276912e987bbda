package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysApiTest extends ApiTest {

  @Test
  void mintedKeyHasTheContractShapeAndAuthenticates() {
    Response minted = api.post("/v1/keys", json("agent_label", "  minty  ")).send();

    assertThat(minted.status()).isEqualTo(201);
    assertThat(minted.text("key")).startsWith("bck_").hasSize(49);
    assertThat(minted.text("key")).startsWith(minted.text("key_id") + ".");
    assertThat(minted.text("key_id")).hasSize(16).doesNotContain(".");
    assertThat(minted.json().get("expires_at").isNull()).isTrue();
    assertThat(minted.text("agent_label")).isEqualTo("minty");
    assertThat(minted.json().get("rate_limit").isInt()).isTrue();
    assertThat(minted.json().get("rate_limit_window_seconds").isInt()).isTrue();
    assertThat(minted.json().has("tier")).isFalse();

    Response me = api.get("/v1/keys/me").key(minted.text("key")).send();
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.text("key_id")).isEqualTo(minted.text("key_id"));
    assertThat(me.text("owner_id")).isEqualTo("minty");
    assertThat(me.text("plan")).isEqualTo("free");
    assertThat(me.json().get("active").asBoolean()).isTrue();
    assertThat(me.json().get("scopes").isNull()).isTrue();
    assertThat(me.json().has("rate_limit")).isTrue();
    assertThat(me.json().has("rate_limit_window_seconds")).isTrue();
  }

  @Test
  void longLabelsAreCutTo128Characters() {
    String label = "L".repeat(300);
    Response minted = api.post("/v1/keys", json("agent_label", label)).send();
    assertThat(minted.status()).isEqualTo(201);
    assertThat(minted.text("agent_label")).isEqualTo("L".repeat(128));
  }

  @Test
  void aMissingBlankOrNonStringLabelIsMissingField() {
    for (Object body : List.of(json(), json("agent_label", "   "), json("agent_label", 42),
        json("agent_label", List.of("x")), "")) {
      expectError(api.post("/v1/keys", body).send(), 422, "missing_field");
    }
    expectError(api.post("/v1/keys").send(), 422, "missing_field");
  }

  @Test
  void mintingValidatesTheBodyAsJson() {
    expectError(api.post("/v1/keys", "{nope").send(), 400, "invalid_json");
    expectError(api.post("/v1/keys", "[1]").send(), 422, "invalid_json_shape");
  }

  @Test
  void secondActiveKeyWithTheSameLabelIsRefusedUntilTheFirstIsRevoked() {
    String key = api.mintKey("twice");

    Response again = api.post("/v1/keys", json("agent_label", "twice")).send();
    expectError(again, 409, "label_in_use");
    assertThat(api.post("/v1/keys", json("agent_label", "Twice")).send().status()).isEqualTo(201);

    Response revoked = api.delete("/v1/keys/me").key(key).send();
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.text("key_id")).isEqualTo(key.substring(0, 16));
    assertThat(revoked.json().get("revoked").asBoolean()).isTrue();
    Response after = api.get("/v1/keys/me").key(key).send();
    expectError(after, 401, "unauthorized");
    assertThat(after.text("message")).isEqualTo("Inactive API key");
    assertThat(api.post("/v1/keys", json("agent_label", "twice")).send().status()).isEqualTo(201);
  }

  @Test
  void aReMintedLabelKeepsTheOwnerButNotChannelOwnership() {
    Agent first = newAgent();
    String channel = createChannel(first.key(), "broadcast").get("name").asText();
    api.delete("/v1/keys/me").key(first.key()).send();
    String second = api.mintKey(first.label());

    Response me = api.get("/v1/keys/me").key(second).send();
    assertThat(me.text("owner_id")).isEqualTo(first.label());
    Response byName = api.get("/v1/channels/" + channel).key(second).send();
    assertThat(byName.status()).isEqualTo(200);
    expectError(api.delete("/v1/channels/" + channel).key(second).send(), 403, "forbidden");
  }

  @Test
  void missingMalformedAndWrongKeysAre401() {
    Response missing = api.get("/v1/keys/me").send();
    expectError(missing, 401, "unauthorized");
    assertThat(missing.text("message")).isEqualTo("Missing X-API-Key header");
    for (String malformed : List.of("no-dot", ".secret", "bck_abc.", "")) {
      Response response = api.get("/v1/keys/me").key(malformed).send();
      expectError(response, 401, "unauthorized");
    }
    assertThat(api.get("/v1/keys/me").key("no-dot").send().text("message")).isEqualTo("Malformed API key");
    Response wrong = api.get("/v1/keys/me").key("bck_aaaaaaaaaaaa.wrong").send();
    expectError(wrong, 401, "unauthorized");
    assertThat(wrong.text("message")).isEqualTo("Invalid API key");
  }

  @Test
  void theRightKeyIdWithTheWrongSecretIsRefused() {
    String key = newKey();
    String forged = key.substring(0, 17) + "x".repeat(32);
    expectError(api.get("/v1/keys/me").key(forged).send(), 401, "unauthorized");
  }

  @Test
  void theKeyHeaderNameIsCaseInsensitive() {
    String key = newKey();
    assertThat(api.get("/v1/keys/me").header("x-api-key", key).send().status()).isEqualTo(200);
  }

  @Test
  void onlyTheHashOfAKeyIsStored() throws Exception {
    String key = newKey();
    String keyId = key.substring(0, key.indexOf('.'));
    String secret = key.substring(key.indexOf('.') + 1);
    try (Connection db = DriverManager.getConnection(server.jdbcUrl());
        ResultSet row = db.createStatement().executeQuery(
            "SELECT * FROM api_keys WHERE key_id = '" + keyId + "'")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getString("key_hash")).isEqualTo(sha256(key));
      for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
        assertThat(String.valueOf(row.getString(i))).doesNotContain(secret);
      }
    }
  }

  @Test
  void scopesReplaceTheSetAndComeBackSorted() {
    Agent agent = newAgent();
    Response set = api.put("/v1/keys/me/scopes", json("scopes", List.of("messages:write", "channels:read")))
        .key(agent.key()).send();
    assertThat(set.status()).isEqualTo(200);
    assertThat(set.text("key_id")).isEqualTo(agent.keyId());
    assertThat(set.json().get("scopes")).extracting(JsonNode::asText)
        .containsExactly("channels:read", "messages:write");
    assertThat(set.header("X-Idempotency-Source")).isNull();

    Response me = api.get("/v1/keys/me").key(agent.key()).send();
    assertThat(me.json().get("scopes")).extracting(JsonNode::asText).containsExactly("channels:read", "messages:write");
  }

  @Test
  void badScopesAreRefused() {
    String key = newKey();
    expectError(api.put("/v1/keys/me/scopes", json("scopes", "messages:read")).key(key).send(), 422, "invalid_scopes");
    expectError(api.put("/v1/keys/me/scopes", json()).key(key).send(), 422, "invalid_scopes");
    expectError(api.put("/v1/keys/me/scopes", json("scopes", List.of("messages:delete"))).key(key).send(), 422,
        "invalid_scope");
    expectError(api.put("/v1/keys/me/scopes", json("scopes", List.of(7))).key(key).send(), 422, "invalid_scope");
  }

  @Test
  void missingScopesAre403WithTheRequiredAndGrantedScopes() {
    String key = newKey();
    String channel = broadcastChannel(key);
    String message = postId(key, channel, "scoped");
    api.put("/v1/keys/me/scopes", json("scopes", List.of("channels:read"))).key(key).send();

    Response create = api.post("/v1/channels", json("name", "x", "mode", "broadcast")).key(key).send();
    expectError(create, 403, "insufficient_scope");
    assertThat(create.text("required_scope")).isEqualTo("channels:write");
    assertThat(create.json().get("granted_scopes")).extracting(JsonNode::asText).containsExactly("channels:read");
    expectError(api.post("/v1/channels/" + channel + "/messages", json("content", "x")).key(key).send(), 403,
        "insufficient_scope");
    expectError(api.get("/v1/channels/" + channel + "/messages").key(key).send(), 403, "insufficient_scope");
    expectError(api.get("/v1/channels/" + channel + "/history").key(key).send(), 403, "insufficient_scope");
    // contract §2.3: ack, and most other operations, ignore scopes
    assertThat(api.post("/v1/messages/" + message + "/ack", json()).key(key).send().status()).isEqualTo(200);
  }

  @Test
  void anEmptyScopeListBlocksTheScopedOperations() {
    String key = newKey();
    String channel = claimableChannel(key);
    String message = postId(key, channel, "to claim");
    api.put("/v1/keys/me/scopes", json("scopes", List.of())).key(key).send();

    Response claim = api.post("/v1/messages/" + message + "/claim", json()).key(key).send();
    expectError(claim, 403, "insufficient_scope");
    assertThat(claim.text("required_scope")).isEqualTo("messages:claim");
    assertThat(claim.json().get("granted_scopes")).isEmpty();
    assertThat(api.post("/v1/messages/" + message + "/claim-with-lease", json()).key(key).send().status())
        .isEqualTo(200);
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
