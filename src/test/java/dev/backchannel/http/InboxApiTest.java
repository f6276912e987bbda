package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /v1/agents/me/inbox}: mention items, their status, completion evidence, and edits. */
class InboxApiTest extends ApiTest {

  private JsonNode inbox(String key, String query) {
    Response response = api.get("/v1/agents/me/inbox" + query).key(key).send();
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json().get("data");
  }

  private Response update(String key, Object... fields) {
    return api.patch("/v1/agents/me/inbox", json(fields)).key(key).send();
  }

  private JsonNode heartbeat(String key) {
    return api.get("/v1/agents/me/heartbeat").key(key).send().json();
  }

  @Test
  void aMentionIsAPendingItemUntilItIsCompletedWithEvidence() {
    Agent worker = newAgent();
    Agent writer = newAgent();
    String author = writer.key();
    String channel = broadcastChannel(author);
    JsonNode asked = post(author, channel, "please summarise, @" + worker.label());
    assertThat(heartbeat(worker.key()).get("needs_action").asBoolean()).isTrue();

    JsonNode item = inbox(worker.key(), "").get(0);
    assertThat(item.get("source_type").asText()).isEqualTo("message");
    assertThat(item.get("source_id").asText()).isEqualTo(asked.get("id").asText());
    assertThat(item.get("channel_id").asText()).isEqualTo(channel);
    assertThat(item.get("payload").get("content").asText()).isEqualTo(asked.get("content").asText());
    assertThat(item.get("status").asText()).isEqualTo("pending");
    assertThat(item.get("still_mentioned").asBoolean()).isTrue();
    assertThat(item.get("mention_removed_at").isNull()).isTrue();
    assertThat(item.get("edited_at").isNull()).isTrue();
    assertThat(item.get("claim").isNull()).isTrue();
    assertThat(item.get("author").get("key_id").asText()).isEqualTo(writer.keyId());
    String id = item.get("id").asText();

    assertThat(update(worker.key(), "ids", List.of(id), "status", "seen").json().get("updated").asInt()).isEqualTo(1);
    assertThat(inbox(worker.key(), "")).isEmpty();
    assertThat(inbox(worker.key(), "?status=seen")).hasSize(1);
    assertThat(heartbeat(worker.key()).get("needs_action").asBoolean()).isTrue();

    String reply = postId(worker.key(), channel, "summary: all good");
    Response completed = update(worker.key(), "ids", List.of(id), "status", "completed",
        "completion_ref", json("source_type", "message", "source_id", reply));
    assertThat(completed.status()).as(completed.toString()).isEqualTo(200);
    JsonNode done = inbox(worker.key(), "?status=completed").get(0);
    assertThat(done.get("completion_ref").get("source_id").asText()).isEqualTo(reply);
    assertThat(inbox(worker.key(), "?status=all")).hasSize(1);
    JsonNode clear = heartbeat(worker.key());
    assertThat(clear.get("needs_action").asBoolean()).isFalse();
    assertThat(clear.get("mentions").asInt()).isZero();
  }

  @Test
  void completionEvidenceMustBeAMessageTheCallerCanRead() {
    Agent worker = newAgent();
    String author = newKey();
    post(author, broadcastChannel(author), "@" + worker.label() + " look");
    String id = inbox(worker.key(), "").get(0).get("id").asText();
    String hidden = postId(author, createChannel(author, "broadcast", "access", "restricted").get("id").asText(),
        "members only");

    expectError(update(worker.key(), "ids", List.of(id), "status", "completed",
        "completion_ref", json("source_type", "message", "source_id", "00000000-0000-4000-8000-000000000000")),
        422, "invalid_completion_ref");
    expectError(update(worker.key(), "ids", List.of(id), "status", "completed",
        "completion_ref", json("source_type", "message", "source_id", hidden)), 422, "invalid_completion_ref");
    expectError(update(worker.key(), "ids", List.of(id), "status", "completed",
        "completion_ref", json("source_type", "task", "source_id", hidden)), 422, "invalid_completion_ref");
    expectError(update(worker.key(), "ids", List.of(id), "status", "seen",
        "completion_ref", json("source_type", "message", "source_id", hidden)), 422, "invalid_completion_ref");
    expectError(update(worker.key(), "ids", List.of(id), "status", "done"), 422, "invalid_inbox_status");
    expectError(update(worker.key(), "status", "seen"), 422, "missing_field");
    expectError(update(worker.key(), "ids", java.util.Collections.nCopies(101, id), "status", "seen"), 422,
        "invalid_field");
    expectError(api.get("/v1/agents/me/inbox?status=later").key(worker.key()).send(), 422, "invalid_inbox_status");
    assertThat(update(newKey(), "ids", List.of(id), "status", "completed").json().get("updated").asInt()).isZero();
  }

  @Test
  void editsKeepItemsCurrentAddNewMentionsAndMarkRemovedOnes() {
    Agent first = newAgent();
    Agent second = newAgent();
    String author = newKey();
    String channel = broadcastChannel(author);
    String message = postId(author, channel, "ping @" + first.label());

    Response edited = api.patch("/v1/messages/" + message, json("content", "ping @" + second.label() + " instead"))
        .key(author).send();
    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    JsonNode dropped = inbox(first.key(), "").get(0);
    assertThat(dropped.get("still_mentioned").asBoolean()).isFalse();
    assertThat(dropped.get("mention_removed_at").isTextual()).isTrue();
    assertThat(dropped.get("payload").get("content").asText()).isEqualTo("ping @" + second.label() + " instead");
    assertThat(dropped.get("edited_at").isTextual()).isTrue();
    assertThat(heartbeat(first.key()).get("mentions").asInt()).isZero();
    JsonNode added = inbox(second.key(), "").get(0);
    assertThat(added.get("source_id").asText()).isEqualTo(message);
    assertThat(added.get("still_mentioned").asBoolean()).isTrue();

    api.patch("/v1/messages/" + message, json("content", "@" + first.label() + " and @" + second.label()))
        .key(author).send();
    assertThat(inbox(first.key(), "").get(0).get("still_mentioned").asBoolean()).isTrue();
    assertThat(inbox(first.key(), "")).hasSize(1);
    assertThat(inbox(second.key(), "")).hasSize(1);
  }
}
