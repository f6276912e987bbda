package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Call;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AdminApiTest extends ApiTest {
  private static final String TOKEN = "admin-token-for-tests";

  @Override
  protected Map<String, String> settings() {
    return Map.of("admin_token", TOKEN);
  }

  private static List<Call> adminCalls(ApiClient client, String channel) {
    return List.of(
        client.post("/v1/admin/channels/" + channel + "/pause"),
        client.post("/v1/admin/channels/" + channel + "/resume"),
        client.post("/v1/admin/keys", json("agent_label", "admin-" + UUID.randomUUID())),
        client.post("/v1/admin/minting", json("enabled", true)));
  }

  private Call admin(Call call) {
    return call.header("X-Admin-Token", TOKEN);
  }

  @Test
  void withoutAConfiguredTokenTheAdminApiIsDisabled() {
    try (TestServer plain = TestServer.start()) {
      ApiClient client = plain.client();
      for (Call call : adminCalls(client, "any")) {
        expectError(call.header("X-Admin-Token", TOKEN).send(), 403, "admin_disabled");
      }
      for (Call call : adminCalls(client, "any")) {
        expectError(call.send(), 403, "admin_disabled");
      }
    }
  }

  @Test
  void aMissingOrWrongTokenIsUnauthorized() {
    String channel = broadcastChannel(newKey());
    for (Function<Call, Call> auth : List.<Function<Call, Call>>of(c -> c, c -> c.header("X-Admin-Token", "wrong"),
        c -> c.header("X-Admin-Token", TOKEN + "x"), c -> c.header("X-Admin-Token", ""),
        c -> c.key(newKey()))) {
      for (Call call : adminCalls(api, channel)) {
        expectError(auth.apply(call).send(), 401, "admin_unauthorized");
      }
    }
  }

  @Test
  void pauseAndResumeWorkByIdOrAliasOnAnyChannel() {
    String owner = newKey();
    JsonNode channel = createChannel(owner, "broadcast", "access", "restricted", "name", "admin-target");
    String id = channel.get("id").asText();
    String alias = "admin-" + UUID.randomUUID();
    api.post("/v1/channels/" + id + "/aliases", json("alias", alias)).key(owner).send();

    Response paused = admin(api.post("/v1/admin/channels/" + id + "/pause")).send();
    assertThat(paused.status()).isEqualTo(200);
    assertThat(paused.text("id")).isEqualTo(id);
    assertThat(paused.json().get("paused").asBoolean()).isTrue();
    expectError(api.post("/v1/channels/" + id + "/messages", json("content", "x")).key(owner).send(), 503,
        "channel_paused");
    Response resumed = admin(api.post("/v1/admin/channels/" + alias + "/resume")).send();
    assertThat(resumed.json().get("paused").asBoolean()).isFalse();
    assertThat(api.post("/v1/channels/" + id + "/messages", json("content", "x")).key(owner).send().status())
        .isEqualTo(201);
    expectError(admin(api.post("/v1/admin/channels/admin-target/pause")).send(), 404, "channel_not_found");
  }

  @Test
  void adminMintingIgnoresTheSwitchAndIsNotIdempotent() {
    String label = "admin-minted-" + UUID.randomUUID();
    Response minted = admin(api.post("/v1/admin/keys", json("agent_label", label))).send();
    assertThat(minted.status()).isEqualTo(201);
    assertThat(minted.text("key")).startsWith("bck_");
    assertThat(minted.text("agent_label")).isEqualTo(label);
    assertThat(minted.json().get("expires_at").isNull()).isTrue();
    assertThat(api.get("/v1/keys/me").key(minted.text("key")).send().status()).isEqualTo(200);
    expectError(admin(api.post("/v1/admin/keys", json("agent_label", label))).send(), 409, "label_in_use");
    expectError(admin(api.post("/v1/admin/keys", json())).send(), 422, "missing_field");
  }

  @Test
  void theMintingSwitchClosesPublicMintingAndSurvivesARestart() {
    Response closed = admin(api.post("/v1/admin/minting", json("enabled", false))).send();
    assertThat(closed.status()).isEqualTo(200);
    assertThat(closed.json().get("public_minting_enabled").asBoolean()).isFalse();
    try {
      expectError(api.post("/v1/keys", json("agent_label", "locked-out")).send(), 403, "minting_closed");
      assertThat(api.get("/health").send().json().get("public_minting_enabled").asBoolean()).isFalse();
      String label = "admin-while-closed-" + UUID.randomUUID();
      assertThat(admin(api.post("/v1/admin/keys", json("agent_label", label))).send().status()).isEqualTo(201);

      server.restart();
      api = server.client();
      assertThat(api.get("/health").send().json().get("public_minting_enabled").asBoolean()).isFalse();
      assertThat(api.get("/.well-known/ai-manifest.json").send().json().get("auth").get("public_minting_enabled")
          .asBoolean()).isFalse();
      expectError(api.post("/v1/keys", json("agent_label", "still-locked-out")).send(), 403, "minting_closed");
    } finally {
      Response opened = admin(api.post("/v1/admin/minting", json("enabled", true))).send();
      assertThat(opened.json().get("public_minting_enabled").asBoolean()).isTrue();
    }
    assertThat(api.get("/health").send().json().get("public_minting_enabled").asBoolean()).isTrue();
    assertThat(api.post("/v1/keys", json("agent_label", "welcome-back-" + UUID.randomUUID())).send().status())
        .isEqualTo(201);
  }

  @Test
  void theMintingSwitchTakesOnlyABoolean() {
    for (Object bad : List.of("false", 0, "yes")) {
      expectError(admin(api.post("/v1/admin/minting", json("enabled", bad))).send(), 422, "invalid_field");
    }
    expectError(admin(api.post("/v1/admin/minting", json())).send(), 422, "invalid_field");
  }
}
