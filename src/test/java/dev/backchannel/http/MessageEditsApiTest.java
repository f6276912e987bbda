package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.SseClient;
import dev.backchannel.testing.SseClient.Frame;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code PATCH /v1/messages/{id}}: who may edit, when, and who sees the edit. */
class MessageEditsApiTest extends ApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Override
  protected Map<String, String> settings() {
    return Map.of("stream_heartbeat_millis", "200");
  }

  private Response edit(String key, String messageId, Object... fields) {
    return api.patch("/v1/messages/" + messageId, json(fields)).key(key).send();
  }

  private JsonNode firstListed(String key, String channel) {
    return api.get("/v1/channels/" + channel + "/messages?since=0").key(key).send().json().get("data").get(0);
  }

  @Test
  void theAuthorEditsContentAndMetadataAndReadersSeeTheNewText() {
    String key = newKey();
    String channel = broadcastChannel(key);
    JsonNode posted = post(key, channel, "first draft");
    assertThat(posted.get("edited_at").isNull()).isTrue();
    assertThat(posted.get("edit_count").asInt()).isZero();

    Response edited = edit(key, posted.get("id").asText(), "content", "  final text ", "metadata", json("v", 2));
    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    JsonNode message = edited.json().get("message");
    assertThat(message.get("content").asText()).isEqualTo("final text");
    assertThat(message.get("metadata").get("v").asInt()).isEqualTo(2);
    assertThat(message.get("edit_count").asInt()).isEqualTo(1);
    assertThat(message.get("edited_at").isTextual()).isTrue();
    assertThat(message.get("seq").asLong()).isEqualTo(posted.get("seq").asLong());
    assertThat(message.get("created_at")).isEqualTo(posted.get("created_at"));

    JsonNode listed = firstListed(key, channel);
    assertThat(listed.get("content").asText()).isEqualTo("final text");
    assertThat(listed.get("edit_count").asInt()).isEqualTo(1);

    JsonNode metadataOnly = edit(key, posted.get("id").asText(), "metadata", json("v", 3)).json().get("message");
    assertThat(metadataOnly.get("content").asText()).isEqualTo("final text");
    assertThat(metadataOnly.get("edit_count").asInt()).isEqualTo(2);
  }

  @Test
  void onlyThePostingKeyMayEdit() {
    String owner = newKey();
    String channel = broadcastChannel(owner);
    String id = postId(owner, channel, "mine");
    expectError(edit(newKey(), id, "content", "yours now"), 403, "forbidden");
    expectError(edit(owner, "00000000-0000-4000-8000-000000000000", "content", "x"), 404, "message_not_found");
  }

  @Test
  void aClaimedOrAcknowledgedTaskCanNoLongerBeEdited() {
    String key = newKey();
    String jobs = claimableChannel(key);
    String claimed = postId(key, jobs, "task one");
    assertThat(edit(key, claimed, "content", "task one, clarified").status()).isEqualTo(200);
    api.post("/v1/messages/" + claimed + "/claim", json()).key(key).send();
    expectError(edit(key, claimed, "content", "too late"), 409, "message_claimed");

    String acked = postId(key, jobs, "task two");
    api.post("/v1/messages/" + acked + "/ack", json()).key(key).send();
    expectError(edit(key, acked, "content", "too late"), 409, "message_claimed");
  }

  @Test
  void editsFollowTheFieldRules() {
    String key = newKey();
    String channel = broadcastChannel(key, "metadata_schema", json("type", "object",
        "properties", json("v", json("type", "integer"))));
    String id = postId(key, channel, "rules");
    expectError(edit(key, id), 422, "missing_field");
    expectError(edit(key, id, "content", null), 422, "invalid_string");
    expectError(edit(key, id, "content", " "), 422, "invalid_string");
    expectError(edit(key, id, "content", "x".repeat(10_001)), 422, "content_too_large");
    expectError(edit(key, id, "metadata", "text"), 422, "invalid_object");
    expectError(edit(key, id, "metadata", json("v", "not a number")), 422, "metadata_validation_failed");
    Response unknown = edit(key, id, "content", "x", "priority", 9);
    expectError(unknown, 422, "invalid_fields");
    assertThat(unknown.json().get("fields").get(0).asText()).isEqualTo("priority");
  }

  @Test
  void aRepeatedEditIsReplayedNotAppliedTwice() {
    String key = newKey();
    String channel = broadcastChannel(key);
    String id = postId(key, channel, "once");
    Response first = api.patch("/v1/messages/" + id, json("content", "twice?")).key(key)
        .header("Idempotency-Key", "edit-" + id).send();
    Response again = api.patch("/v1/messages/" + id, json("content", "twice?")).key(key)
        .header("Idempotency-Key", "edit-" + id).send();
    assertThat(again.header("X-Idempotent-Replay")).isEqualTo("true");
    assertThat(again.json()).isEqualTo(first.json());
    assertThat(first.json().get("message").get("edit_count").asInt()).isEqualTo(1);
    JsonNode listed = firstListed(key, channel);
    assertThat(listed.get("edit_count").asInt()).isEqualTo(1);
  }

  @Test
  void streamsAskingForEditsAndTheWakeFeedSeeThem() {
    String key = newKey();
    String channel = broadcastChannel(key);
    String id = postId(key, channel, "draft");
    api.post("/v1/channels/" + channel + "/subscribe", json()).key(key).send();
    try (SseClient withEdits = SseClient.open(server.baseUrl() + "/v1/channels/" + channel
            + "/stream?events=message,edited", Map.of("X-API-Key", key));
        SseClient plain = SseClient.open(server.baseUrl() + "/v1/channels/" + channel + "/stream",
            Map.of("X-API-Key", key));
        SseClient feed = SseClient.open(server.baseUrl() + "/v1/agents/me/events",
            Map.of("X-API-Key", key, "Accept", "text/event-stream"))) {
      assertThat(edit(key, id, "content", "published").status()).isEqualTo(200);
      Frame edited = withEdits.next(WAIT);
      assertThat(edited.event()).isEqualTo("edited");
      assertThat(StreamApiTest.parse(edited.data()).get("content").asText()).isEqualTo("published");
      Frame woken = feed.next(WAIT);
      assertThat(woken.event()).isEqualTo("edited");
      assertThat(StreamApiTest.parse(woken.data()).get("message").get("id").asText()).isEqualTo(id);

      post(key, channel, "next");
      assertThat(plain.next(WAIT).event()).isEqualTo("message");
    }
  }
}
