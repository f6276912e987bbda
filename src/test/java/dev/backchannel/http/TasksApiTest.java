package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TasksApiTest extends ApiTest {

  private Response verb(String key, String verb, Object... body) {
    return api.post("/v1/tasks/" + verb, json(body)).key(key).send();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  @Test
  void postAlwaysCreatesANewClaimableChannelAndPostsToIt() {
    String key = newKey();
    String name = unique("jobs");
    Response first = verb(key, "post", "channel", name, "content", "task one", "actor_label", "boss",
        "metadata", Map.of("n", 1));
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    JsonNode message = first.json().get("message");
    String channel = first.text("channel");
    assertThat(message.get("channel_id").asText()).isEqualTo(channel);
    assertThat(message.get("content").asText()).isEqualTo("task one");
    assertThat(message.get("actor_label").asText()).isEqualTo("boss");
    assertThat(message.get("metadata").get("n").asInt()).isEqualTo(1);
    assertThat(first.text("next_cursor")).isEqualTo(message.get("created_at").asText());
    JsonNode created = api.get("/v1/channels/" + channel).key(key).send().json();
    assertThat(created.get("name").asText()).isEqualTo(name);
    assertThat(created.get("mode").asText()).isEqualTo("claimable");

    Response second = verb(key, "post", "channel", name, "content", "task two");
    assertThat(second.text("channel")).isNotEqualTo(channel);
    assertThat(api.get("/v1/channels/" + name).key(key).send().text("id")).isEqualTo(second.text("channel"));
  }

  @Test
  void postValidatesBeforeCreatingAnything() {
    String key = newKey();
    expectError(verb(key, "post", "content", "x"), 422, "missing_field");
    expectError(verb(key, "post", "channel", "", "content", "x"), 422, "missing_field");
    expectError(verb(key, "post", "channel", "bad\u0000name", "content", "x"), 422, "invalid_channel_name");
    String name = unique("half");
    Response noContent = verb(key, "post", "channel", name);
    assertThat(noContent.status()).isEqualTo(422);
    assertThat(noContent.error()).isIn("missing_field", "invalid_string");
    expectError(api.get("/v1/channels/" + name).key(key).send(), 404, "channel_not_found");
  }

  @Test
  void theVerbsIgnoreScopes() {
    String key = newKey();
    api.put("/v1/keys/me/scopes", json("scopes", List.of())).key(key).send();
    Response posted = verb(key, "post", "channel", unique("scoped"), "content", "no scopes needed");
    assertThat(posted.status()).isEqualTo(201);
    assertThat(verb(key, "claim", "channel", posted.text("channel")).json().get("claimed").isObject()).isTrue();
    assertThat(verb(key, "subscribe", "channel", posted.text("channel")).status()).isEqualTo(200);
  }

  @Test
  void claimTakesTheOldestUnclaimedMessageEachTime() {
    String key = newKey();
    String channel = claimableChannel(key);
    String first = postId(key, channel, "first");
    String second = postId(key, channel, "second");
    api.post("/v1/messages/" + first + "/claim", json("actor", "someone-else")).key(newKey()).send();

    Response claimed = verb(key, "claim", "channel", channel, "actor", "worker");
    assertThat(claimed.status()).isEqualTo(200);
    JsonNode message = claimed.json().get("claimed");
    assertThat(message.get("id").asText()).isEqualTo(second);
    assertThat(message.get("claimed_by").get("name").asText()).isEqualTo("worker");

    Response nothing = verb(key, "claim", "channel", channel, "actor", "worker");
    assertThat(nothing.status()).isEqualTo(200);
    assertThat(nothing.json().get("claimed").isNull()).isTrue();
    assertThat(nothing.text("note")).isEqualTo("no unclaimed messages available");
    assertThat(nothing.header("X-Idempotent-Replay")).isNull();
  }

  @Test
  void claimOnABroadcastChannelFindsNothing() {
    String key = newKey();
    String channel = broadcastChannel(key);
    post(key, channel, "not claimable");
    Response nothing = verb(key, "claim", "channel", channel);
    assertThat(nothing.status()).isEqualTo(200);
    assertThat(nothing.json().get("claimed").isNull()).isTrue();
  }

  @Test
  void claimResolvesTheChannelByName() {
    String key = newKey();
    String name = unique("named");
    String channel = createChannel(key, "claimable", "name", name).get("id").asText();
    String id = postId(key, channel, "by name");
    assertThat(verb(key, "claim", "channel", name).json().get("claimed").get("id").asText()).isEqualTo(id);
    expectError(verb(key, "claim", "channel", unique("missing")), 404, "channel_not_found");
    expectError(verb(key, "claim"), 422, "missing_field");
  }

  @Test
  void subscribeReturnsAMessagePageWithoutDeprecationHeaders() {
    String key = newKey();
    String channel = broadcastChannel(key);
    JsonNode first = post(key, channel, "one");
    String second = postId(key, channel, "two");

    Response all = verb(key, "subscribe", "channel", channel, "since", "0");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.json().get("data")).hasSize(2);
    assertThat(all.json().get("limit").asInt()).isEqualTo(50);
    assertThat(all.header("Deprecation")).isNull();
    Response after = verb(key, "subscribe", "channel", channel, "since", first.get("created_at").asText(),
        "limit", 10, "wait", 1.5);
    assertThat(after.json().get("data")).extracting(m -> m.get("id").asText()).containsExactly(second);
    assertThat(after.json().get("limit").asInt()).isEqualTo(10);
    Response bySeq = verb(key, "subscribe", "channel", channel, "since", first.get("seq").asLong());
    assertThat(bySeq.json().get("data")).extracting(m -> m.get("id").asText()).containsExactly(second);
    Response empty = verb(key, "subscribe", "channel", channel, "since", after.text("next_cursor"));
    assertThat(empty.text("next_cursor")).isEqualTo(after.text("next_cursor"));

    expectError(verb(key, "subscribe", "channel", channel, "limit", 0), 422, "invalid_limit");
    expectError(verb(key, "subscribe", "channel", channel, "limit", 101), 422, "invalid_limit");
    expectError(verb(key, "subscribe", "channel", channel, "limit", "lots"), 422, "invalid_limit");
    expectError(verb(key, "subscribe", "channel", channel, "since", "garbage"), 422, "invalid_cursor");
    expectError(verb(key, "subscribe"), 422, "missing_field");
  }

  @Test
  void broadcastPostsToAnExistingChannelOfEitherMode() {
    String key = newKey();
    String name = unique("news");
    String channel = createChannel(key, "broadcast", "name", name).get("id").asText();
    Response posted = verb(key, "broadcast", "channel", name, "content", "hello all", "actor_label", "crier");
    assertThat(posted.status()).isEqualTo(201);
    assertThat(posted.json().get("message").get("channel_id").asText()).isEqualTo(channel);
    assertThat(posted.text("next_cursor")).isEqualTo(posted.json().get("message").get("created_at").asText());
    assertThat(posted.json().has("channel")).isFalse();
    assertThat(verb(key, "broadcast", "channel", claimableChannel(key), "content", "to a queue").status())
        .isEqualTo(201);
    expectError(verb(key, "broadcast", "channel", unique("missing"), "content", "x"), 404, "channel_not_found");
  }

  @Test
  void claimAndAckDoesBothAndRepeatsAsTheSameActor() {
    String key = newKey();
    String channel = claimableChannel(key);
    String id = postId(key, channel, "quick job");
    Response done = verb(key, "claim-and-ack", "message_id", id, "actor", "closer");
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.text("status")).isEqualTo("claimed_and_acked");
    JsonNode message = done.json().get("message");
    assertThat(message.get("claimed_by").get("name").asText()).isEqualTo("closer");
    assertThat(message.get("acknowledged_by").get(0).get("name").asText()).isEqualTo("closer");

    Response again = verb(key, "claim-and-ack", "message_id", id, "actor", "closer", "metadata", Map.of("try", 2));
    assertThat(again.status()).isEqualTo(200);
    expectError(verb(newKey(), "claim-and-ack", "message_id", id), 409, "already_claimed");
    expectError(verb(key, "claim-and-ack"), 422, "missing_field");
    expectError(verb(key, "claim-and-ack", "message_id", UUID.randomUUID().toString()), 404, "message_not_found");
  }

  @Test
  void createClaimableSessionMakesARestrictedQueueAndAnInvitation() {
    Agent agent = newAgent();
    Response created = verb(agent.key(), "create-claimable-session");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode channel = created.json().get("channel");
    assertThat(channel.get("name").asText()).isEqualTo("session");
    assertThat(channel.get("mode").asText()).isEqualTo("claimable");
    assertThat(channel.get("access").asText()).isEqualTo("restricted");
    JsonNode invitation = created.json().get("invitation");
    assertThat(invitation.get("channel").get("id").asText()).isEqualTo(channel.get("id").asText());
    assertThat(invitation.get("active").asBoolean()).isTrue();

    Response named = verb(agent.key(), "create-claimable-session", "name", "pairing", "description", "with notes");
    assertThat(named.json().get("channel").get("name").asText()).isEqualTo("pairing");
    assertThat(named.json().get("channel").get("description").asText()).isEqualTo("with notes");
    String guest = newKey();
    String invitationId = named.json().get("invitation").get("id").asText();
    assertThat(api.get("/v1/channel-invitations/" + invitationId).key(guest).send().status()).isEqualTo(200);
    assertThat(api.get("/v1/channels/" + named.json().get("channel").get("id").asText()).key(guest).send().status())
        .isEqualTo(200);
  }

  @Test
  void postWithResultWiresAResultChannelThatAnyKeyMayAnswerOn() {
    String boss = newKey();
    String worker = newKey();
    String name = unique("work");
    Response posted = verb(boss, "post-with-result", "channel", name, "content", "compute 6*7");
    assertThat(posted.status()).as(posted.toString()).isEqualTo(201);
    String taskId = posted.json().get("message").get("id").asText();
    assertThat(posted.text("channel")).isEqualTo(posted.json().get("message").get("channel_id").asText());
    assertThat(posted.text("result_channel")).isEqualTo("result-of-" + taskId);
    assertThat(posted.text("result_url")).isEqualTo("/v1/tasks/" + taskId + "/result");
    assertThat(api.get("/v1/channels/" + posted.text("channel")).key(boss).send().text("mode")).isEqualTo("claimable");
    JsonNode results = api.get("/v1/channels/result-of-" + taskId).key(worker).send().json();
    assertThat(results.get("mode").asText()).isEqualTo("broadcast");
    assertThat(results.get("aliases").get(0).asText()).isEqualTo("result-of-" + taskId);

    expectError(api.get("/v1/tasks/" + taskId + "/result").key(boss).send(), 404, "result_not_ready");
    Response answered = api.post("/v1/tasks/" + taskId + "/result", json("content", "42", "actor_label", "worker",
        "metadata", Map.of("ms", 5))).key(worker).send();
    assertThat(answered.status()).isEqualTo(201);
    assertThat(answered.text("result_channel")).isEqualTo("result-of-" + taskId);
    JsonNode result = answered.json().get("message");
    assertThat(result.get("metadata").get("task_id").asText()).isEqualTo(taskId);
    assertThat(result.get("metadata").get("ms").asInt()).isEqualTo(5);
    api.post("/v1/tasks/" + taskId + "/result", json("content", "43, on second thought")).key(worker).send();

    Response read = api.get("/v1/tasks/" + taskId + "/result").key(boss).send();
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.text("task_id")).isEqualTo(taskId);
    assertThat(read.json().get("result").get("content").asText()).isEqualTo("42");
  }

  @Test
  void resultsOfUnknownTasks() {
    String key = newKey();
    String unknown = UUID.randomUUID().toString();
    expectError(api.get("/v1/tasks/" + unknown + "/result").key(key).send(), 404, "result_not_ready");
    expectError(api.post("/v1/tasks/" + unknown + "/result", json("content", "x")).key(key).send(), 404,
        "channel_not_found");
    expectError(api.post("/v1/tasks/" + unknown + "/result", json("content", "x", "metadata", "no")).key(key).send(),
        422, "invalid_object");
  }
}
