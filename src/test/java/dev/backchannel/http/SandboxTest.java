package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sandbox of contract §5.13 as provisioned at start-up: its channel and bot, its limits
 * re-applied on restart without touching {@code paused}, the heartbeat after a quiet minute (never
 * while paused), and the one-time pause when the database outgrows its limit. Time is the fake clock.
 */
@Timeout(60)
class SandboxTest {
  private static final String ADMIN = "sandbox-admin-token";
  private static final Map<String, String> SANDBOX = Map.of("sandbox_enabled", "true", "sandbox_ttl_seconds", "900",
      "sandbox_max_messages", "50", "sandbox_max_writes_per_minute", "30", "admin_token", ADMIN);

  @Test
  void startUpProvisionsAnOpenDiscoverableBroadcastChannelOwnedByTheBot() {
    try (TestServer server = TestServer.start(SANDBOX)) {
      ApiClient api = server.client();
      String key = api.mintKey("visitor");

      JsonNode channel = api.get("/v1/channels/sandbox").key(key).send().json();

      assertThat(channel.get("name").asText()).isEqualTo("sandbox");
      assertThat(channel.get("aliases")).containsExactly(ApiClient.JSON.valueToTree("sandbox"));
      assertThat(channel.get("mode").asText()).isEqualTo("broadcast");
      assertThat(channel.get("access").asText()).isEqualTo("open");
      assertThat(channel.get("discoverable").asBoolean()).isTrue();
      assertThat(channel.get("owner_id").asText()).isEqualTo("backchannel");
      assertThat(channel.get("ttl_seconds").asInt()).isEqualTo(900);
      assertThat(channel.get("max_messages").asInt()).isEqualTo(50);
      assertThat(channel.get("max_writes_per_minute").asInt()).isEqualTo(30);
      assertThat(channel.get("paused").asBoolean()).isFalse();
      assertThat(api.get("/v1/channels").key(key).send().json().get("data").findValuesAsText("name"))
          .contains("sandbox");
      assertThat(api.post("/v1/keys", json("agent_label", "sandbox-heartbeat-bot")).send().error())
          .isEqualTo("label_in_use");
      assertThat(api.post("/v1/channels/sandbox/messages", json("content", "hi")).key(key).send().status())
          .isEqualTo(201);
    }
  }

  @Test
  void theBotPostsAHeartbeatAfterAQuietMinuteAndNeverWhilePaused() {
    try (TestServer server = TestServer.start(SANDBOX)) {
      ApiClient api = server.client();
      String key = api.mintKey("watcher");

      assertThat(server.sandboxTickNow()).as("an empty sandbox gets a heartbeat").isTrue();
      assertThat(server.sandboxTickNow()).isFalse();
      server.clock().advance(Duration.ofSeconds(59));
      assertThat(server.sandboxTickNow()).isFalse();
      server.clock().advance(Duration.ofSeconds(2));
      assertThat(server.sandboxTickNow()).isTrue();

      server.clock().advance(Duration.ofSeconds(50));
      api.post("/v1/channels/sandbox/messages", json("content", "a visitor")).key(key).send();
      server.clock().advance(Duration.ofSeconds(30));
      assertThat(server.sandboxTickNow()).as("quiet for only 30 s").isFalse();

      api.post("/v1/admin/channels/sandbox/pause").header("X-Admin-Token", ADMIN).send();
      server.clock().advance(Duration.ofMinutes(5));
      assertThat(server.sandboxTickNow()).as("paused").isFalse();

      List<JsonNode> messages = messages(api, key);
      assertThat(messages).hasSize(3);
      assertThat(messages.get(0).get("actor_label").asText()).isEqualTo("sandbox-heartbeat-bot");
      assertThat(messages.get(0).get("content").asText()).startsWith("heartbeat");
      assertThat(messages.get(2).get("content").asText()).isEqualTo("a visitor");
    }
  }

  @Test
  void aRestartReappliesTheLimitsButKeepsThePauseAndTheChannel() {
    try (TestServer server = TestServer.start(SANDBOX)) {
      ApiClient api = server.client();
      String key = api.mintKey("operator-watch");
      String id = api.get("/v1/channels/sandbox").key(key).send().text("id");
      api.post("/v1/admin/channels/sandbox/pause").header("X-Admin-Token", ADMIN).send();

      server.restart(Map.of("sandbox_ttl_seconds", "1200", "sandbox_max_messages", "80",
          "sandbox_max_writes_per_minute", "10"));
      JsonNode channel = server.client().get("/v1/channels/sandbox").key(key).send().json();

      assertThat(channel.get("id").asText()).isEqualTo(id);
      assertThat(channel.get("ttl_seconds").asInt()).isEqualTo(1200);
      assertThat(channel.get("max_messages").asInt()).isEqualTo(80);
      assertThat(channel.get("max_writes_per_minute").asInt()).isEqualTo(10);
      assertThat(channel.get("paused").asBoolean()).isTrue();
    }
  }

  @Test
  void anOversizedDatabasePausesTheSandboxOnce() {
    Map<String, String> tiny = new java.util.HashMap<>(SANDBOX);
    tiny.put("db_size_limit_bytes", "1");
    try (TestServer server = TestServer.start(tiny)) {
      ApiClient api = server.client();
      String key = api.mintKey("size-watch");

      assertThat(server.sandboxTickNow()).isFalse();
      assertThat(api.get("/v1/channels/sandbox").key(key).send().json().get("paused").asBoolean()).isTrue();
      Response posted = api.post("/v1/channels/sandbox/messages", json("content", "full?")).key(key).send();
      assertThat(posted.error()).isEqualTo("channel_paused");

      api.post("/v1/admin/channels/sandbox/resume").header("X-Admin-Token", ADMIN).send();
      server.clock().advance(Duration.ofMinutes(2));
      assertThat(server.sandboxTickNow()).as("resumed by the operator: not paused again").isTrue();
      assertThat(api.get("/v1/channels/sandbox").key(key).send().json().get("paused").asBoolean()).isFalse();
    }
  }

  @Test
  void noSandboxWhenItIsDisabled() {
    try (TestServer server = TestServer.start(Map.of("sandbox_enabled", "false"))) {
      ApiClient api = server.client();
      String key = api.mintKey("nobody");

      assertThat(api.get("/v1/channels/sandbox").key(key).send().error()).isEqualTo("channel_not_found");
      assertThat(server.sandboxTickNow()).isFalse();
    }
  }

  private static List<JsonNode> messages(ApiClient api, String key) {
    List<JsonNode> out = new ArrayList<>();
    api.get("/v1/channels/sandbox/messages?since=0").key(key).send().json().get("data").forEach(out::add);
    return out;
  }
}
