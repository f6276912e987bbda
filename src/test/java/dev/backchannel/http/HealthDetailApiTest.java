package dev.backchannel.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /health?detail=1}: message counts for the operator only; everyone else gets the cheap answer. */
class HealthDetailApiTest extends ApiTest {
  private static final String TOKEN = "health-detail-admin-token";

  @Override
  protected Map<String, String> settings() {
    return Map.of("admin_token", TOKEN);
  }

  @Test
  void theOperatorSeesTotalsAndTheLastMessage() {
    String key = newKey();
    String channel = broadcastChannel(key);
    post(key, channel, "first");
    JsonNode last = post(key, channel, "last");

    JsonNode detail = api.get("/health?detail=1").header("X-Admin-Token", TOKEN).send().json().get("detail");
    assertThat(detail.get("total_messages").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(detail.get("last_message_at").asText()).isEqualTo(last.get("created_at").asText());
    assertThat(detail.get("last_message_channel_id").asText()).isEqualTo(channel);
  }

  @Test
  void withoutTheAdminTokenHealthStaysPlain() {
    String key = newKey();
    post(key, broadcastChannel(key), "hidden count");
    for (var call : java.util.List.of(api.get("/health?detail=1"), api.get("/health?detail=1").key(key),
        api.get("/health?detail=1").header("X-Admin-Token", "wrong"), api.get("/health").header("X-Admin-Token", TOKEN))) {
      var answer = call.send();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.json().has("detail")).as(answer.toString()).isFalse();
      assertThat(answer.text("status")).isEqualTo("ok");
    }
  }
}
