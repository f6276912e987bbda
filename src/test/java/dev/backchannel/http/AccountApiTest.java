package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountApiTest extends ApiTest {

  @Test
  void observabilityCountsWhatTheKeyOwns() {
    Agent agent = newAgent();
    String other = newKey();
    String queue = claimableChannel(agent.key());
    broadcastChannel(agent.key());
    String first = postId(agent.key(), queue, "one");
    postId(agent.key(), queue, "two");
    postId(other, broadcastChannel(other), "not mine");
    api.post("/v1/messages/" + first + "/claim", json()).key(other).send();
    api.post("/v1/sessions", json("name", "s")).key(agent.key()).send();

    Response metrics = api.get("/v1/observability/metrics").key(agent.key()).send();
    assertThat(metrics.status()).isEqualTo(200);
    JsonNode m = metrics.json();
    assertThat(m.get("key_id").asText()).isEqualTo(agent.keyId());
    assertThat(m.get("channels_owned").asInt()).isEqualTo(2);
    assertThat(m.get("messages_in_owned_channels").asInt()).isEqualTo(2);
    assertThat(m.get("messages_claimed_in_owned_channels").asInt()).isEqualTo(1);
    assertThat(m.get("active_sessions").asInt()).isEqualTo(1);
  }

  @Test
  void theSecurityAuditShowsTheKeysOwnEvents() {
    Agent agent = newAgent();
    newAgent();
    Response audit = api.get("/v1/security/audit").key(agent.key()).send();
    assertThat(audit.status()).isEqualTo(200);
    JsonNode data = audit.json().get("data");
    assertThat(audit.json().get("count").asInt()).isEqualTo(data.size()).isEqualTo(1);
    JsonNode event = data.get(0);
    List<String> names = new ArrayList<>();
    event.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("id", "occurred_at", "actor_key_id", "subject_key_id", "event_type",
        "remote_addr", "detail");
    assertThat(event.get("event_type").asText()).isEqualTo("key.issue");
    assertThat(event.get("subject_key_id").asText()).isEqualTo(agent.keyId());
    assertThat(event.get("detail").get("agent_label").asText()).isEqualTo(agent.label());
    assertThat(event.get("remote_addr").asText()).isEqualTo("127.0.0.1");
    assertThat(event.get("occurred_at").asText()).endsWith("+00:00");
  }

  @Test
  void theAuditLimitIsClampedAndGarbageIgnored() {
    String key = newKey();
    assertThat(api.get("/v1/security/audit?limit=0").key(key).send().json().get("data")).hasSize(1);
    assertThat(api.get("/v1/security/audit?limit=9999").key(key).send().status()).isEqualTo(200);
    assertThat(api.get("/v1/security/audit?limit=lots").key(key).send().json().get("count").asInt()).isEqualTo(1);
  }

  @Test
  void usageDescribesThePlanAndLimits() {
    Agent agent = newAgent();
    Response usage = api.get("/account/usage").key(agent.key()).send();
    assertThat(usage.status()).isEqualTo(200);
    assertThat(usage.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    JsonNode u = usage.json();
    assertThat(u.get("key_id").asText()).isEqualTo(agent.keyId());
    assertThat(u.get("plan").asText()).isEqualTo("free");
    assertThat(u.get("rate_limit").get("requests_per_window").isInt()).isTrue();
    assertThat(u.get("rate_limit").get("window_seconds").asInt()).isEqualTo(60);
    assertThat(u.get("instance_kind").asText()).isEqualTo("self-hosted");
    assertThat(u.get("note").asText()).isNotBlank();
    expectError(api.get("/account/usage").send(), 401, "unauthorized");
  }
}
