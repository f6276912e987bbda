package dev.backchannel;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerLifecycleTest {
  @Test
  void domainVerticlesAreDeployedBeforeHttpAndTheStoreIsUndeployedLast() {
    try (TestServer test = TestServer.start(Map.of("http_instances", "2"))) {
      Server server = test.server();
      assertThat(server.deployedVerticles()).containsExactly(
          "StoreVerticle", "KeysVerticle", "ChannelsVerticle", "MessagesVerticle", "DeliveryWorker");
      // Five domain deployments and one for the HTTP verticles.
      assertThat(server.vertx().deploymentIDs()).hasSize(6);

      ApiClient api = test.client();
      String key = api.mintKey("lifecycle");
      assertThat(api.post("/v1/channels", json("name", "life", "mode", "broadcast")).key(key).send().status()).isEqualTo(201);
      assertThat(api.post("/v1/channels/life/messages", json("content", "kept")).key(key).send().status())
          .isEqualTo(201);

      server.stop();
      assertThat(server.services().store().singleWriter().orElseThrow().alive()).as("the store verticle closed the writer").isFalse();

      test.restart();
      assertThat(test.client().get("/v1/channels/life/messages?since=0").key(key).send().json()
          .path("data").get(0).path("content").asText()).isEqualTo("kept");
    }
  }

  @Test
  void theSandboxHasAVerticleOnlyWhenEnabled() {
    try (TestServer test = TestServer.start(Map.of("sandbox_enabled", "true"))) {
      assertThat(test.server().deployedVerticles()).endsWith("DeliveryWorker", "SandboxVerticle");
    }
  }
}
