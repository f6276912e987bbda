package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class KeysApiTest {
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.client();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void mintedKeyHasTheContractShapeAndAuthenticates() {
    Response minted = api.post("/v1/keys", json("agent_label", "  minty  ")).send();

    assertThat(minted.status()).isEqualTo(201);
    assertThat(minted.text("key")).startsWith("bck_").hasSize(49);
    assertThat(minted.text("key_id")).hasSize(16);
    assertThat(minted.json().get("expires_at").isNull()).isTrue();
    assertThat(minted.text("agent_label")).isEqualTo("minty");
    assertThat(minted.json().has("tier")).isFalse();

    Response me = api.get("/v1/keys/me").key(minted.text("key")).send();
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.text("key_id")).isEqualTo(minted.text("key_id"));
    assertThat(me.text("owner_id")).isEqualTo("minty");
    assertThat(me.json().get("scopes").isNull()).isTrue();
  }

  @Test
  void secondActiveKeyWithTheSameLabelIsRefusedUntilTheFirstIsRevoked() {
    String key = api.mintKey("twice");

    Response again = api.post("/v1/keys", json("agent_label", "twice")).send();
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.error()).isEqualTo("label_in_use");

    assertThat(api.delete("/v1/keys/me").key(key).send().status()).isEqualTo(200);
    Response revoked = api.get("/v1/keys/me").key(key).send();
    assertThat(revoked.status()).isEqualTo(401);
    assertThat(revoked.error()).isEqualTo("unauthorized");
    assertThat(api.post("/v1/keys", json("agent_label", "twice")).send().status()).isEqualTo(201);
  }

  @Test
  void missingMalformedAndWrongKeysAre401() {
    assertThat(api.get("/v1/keys/me").send().error()).isEqualTo("unauthorized");
    assertThat(api.get("/v1/keys/me").key("no-dot").send().status()).isEqualTo(401);
    assertThat(api.get("/v1/keys/me").key("bck_aaaaaaaaaaaa.wrong").send().status()).isEqualTo(401);
  }
}
