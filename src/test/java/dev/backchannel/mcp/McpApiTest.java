package dev.backchannel.mcp;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.Await;
import dev.backchannel.testing.McpClient;
import dev.backchannel.testing.McpClient.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The MCP endpoint over real HTTP, driven by a JSON-RPC client of our own. */
class McpApiTest extends ApiTest {
  private static final String MESSAGES_ROUTE = "/v1/channels/{id}/messages";
  private static final List<String> TOOLS = List.of("post_task", "broadcast", "claim_task", "subscribe",
      "await_result", "list_channels", "request_access", "issue_key", "claim_next", "ack_task", "heartbeat",
      "release_task", "nack_task", "wait_for_messages", "inbox", "mentions");

  private McpClient mcp(String key) {
    return new McpClient(api.baseUrl(), key).initialize();
  }

  private static JsonNode ok(Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    assertThat(answer.isError()).as(answer.toString()).isFalse();
    assertThat(answer.result().path("content").get(0).path("type").asText()).isEqualTo("text");
    return answer.content();
  }

  @Test
  void initializeNegotiatesTheRevisionAndOpensASession() {
    McpClient client = new McpClient(api.baseUrl(), newKey());
    Answer answer = client.send(client.request("initialize", json("protocolVersion", "2025-06-18",
        "capabilities", json(), "clientInfo", json("name", "t", "version", "1"))));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.result().path("protocolVersion").asText()).isEqualTo("2025-06-18");
    assertThat(answer.result().path("serverInfo").path("name").asText()).isEqualTo("backchannel");
    assertThat(answer.result().path("capabilities").has("tools")).isTrue();
    assertThat(answer.http().headers().firstValue("Mcp-Session-Id")).isPresent();
  }

  @Test
  void anUnknownRevisionIsAnsweredWithOurs() {
    McpClient client = new McpClient(api.baseUrl(), null);
    Answer answer = client.send(client.request("initialize", json("protocolVersion", "1999-01-01")));
    assertThat(answer.result().path("protocolVersion").asText()).isEqualTo(McpProtocol.LATEST_VERSION);
  }

  @Test
  void toolsListOffersEveryToolWithAnExactSchema() {
    McpClient client = mcp(newKey());
    JsonNode tools = client.send(client.request("tools/list", null)).result().path("tools");
    List<String> names = new ArrayList<>();
    tools.forEach(tool -> {
      names.add(tool.path("name").asText());
      assertThat(tool.path("description").asText()).isNotBlank();
      assertThat(tool.path("inputSchema").path("type").asText()).isEqualTo("object");
      assertThat(tool.path("inputSchema").path("additionalProperties").asBoolean(true)).isFalse();
    });
    assertThat(names).containsExactlyInAnyOrderElementsOf(TOOLS);
    JsonNode postTask = tools.get(0).path("inputSchema");
    assertThat(postTask.path("required")).extracting(JsonNode::asText).containsExactly("channel", "content");
    assertThat(postTask.path("properties").fieldNames()).toIterable()
        .containsExactly("channel", "content", "metadata", "actor_label");
  }

  @Test
  void aKeylessClientMayCallOnlyIssueKey() {
    McpClient keyless = mcp(null);
    Answer refused = keyless.call("list_channels", json());
    assertThat(refused.isError()).isTrue();
    assertThat(refused.content().path("error").asText()).isEqualTo("unauthorized");
    JsonNode issued = ok(keyless.call("issue_key", json("agent_label", "mcp-keyless-" + System.nanoTime())));
    assertThat(issued.path("key").asText()).startsWith("bck_");
    assertThat(ok(mcp(issued.path("key").asText()).call("list_channels", json())).has("data")).isTrue();
  }

  @Test
  void aBearerTokenAuthenticatesLikeTheHeader() {
    String key = newKey();
    ApiClient.Response answer = api.post("/mcp", json("jsonrpc", "2.0", "id", 1, "method", "initialize",
        "params", json("protocolVersion", "2025-06-18"))).header("Authorization", "Bearer " + key).send();
    assertThat(answer.status()).isEqualTo(200);
    ApiClient.Response bad = api.post("/mcp", json("jsonrpc", "2.0", "id", 1, "method", "initialize"))
        .header("Authorization", "Bearer bck_nope.nope").send();
    expectError(bad, 401, "unauthorized");
  }

  @Test
  void aFailingToolIsAnErrorResultCarryingOurCode() {
    McpClient client = mcp(newKey());
    Answer missing = client.call("ack_task", json("message_id", "00000000-0000-4000-8000-000000000000"));
    assertThat(missing.status()).isEqualTo(200);
    assertThat(missing.response().has("error")).isFalse();
    assertThat(missing.isError()).isTrue();
    assertThat(missing.content().path("error").asText()).isEqualTo("message_not_found");
    assertThat(missing.result().path("content").get(0).path("text").asText()).contains("message_not_found");
  }

  @Test
  void argumentsOutsideTheSchemaAreAnErrorResult() {
    McpClient client = mcp(newKey());
    Answer unknown = client.call("subscribe", json("channel", "x", "colour", "red"));
    assertThat(unknown.isError()).isTrue();
    assertThat(unknown.content().path("error").asText()).isEqualTo("invalid_arguments");
    Answer missing = client.call("claim_task", json("channel", "x"));
    assertThat(missing.content().path("message").asText()).contains("actor");
    Answer wrongType = client.call("subscribe", json("channel", "x", "limit", "ten"));
    assertThat(wrongType.content().path("message").asText()).contains("integer");
  }

  @Test
  void protocolMistakesAreJsonRpcOrHttpErrors() {
    McpClient client = mcp(newKey());
    assertThat(client.send(client.request("resources/list", null)).response().path("error").path("code").asInt())
        .isEqualTo(-32601);
    assertThat(client.send(client.request("tools/call", json("name", "nope"))).response().path("error")
        .path("code").asInt()).isEqualTo(-32602);
    expectError(api.post("/mcp", json("jsonrpc", "2.0", "id", 1, "method", "ping")).send(), 400,
        "mcp_session_required");
    expectError(api.post("/mcp", json("jsonrpc", "2.0", "id", 1, "method", "ping"))
        .header("Mcp-Session-Id", "gone").send(), 404, "mcp_session_not_found");
    // a key the server has not seen yet is checked against the database, after the handler returned
    expectError(api.post("/mcp", json("jsonrpc", "2.0", "id", 1, "method", "ping")).key(newKey()).send(), 400,
        "mcp_session_required");
    expectError(api.post("/mcp", "{not json").send(), 400, "invalid_json");
    expectError(api.post("/mcp", "[]").send(), 422, "invalid_json_shape");
    expectError(api.get("/mcp").send(), 405, "method_not_allowed");
    expectError(api.post("/mcp", json("jsonrpc", "2.0", "id", 1, "method", "initialize"))
        .header("Origin", "http://evil.example").send(), 403, "origin_not_allowed");
    expectError(api.post("/mcp", json("jsonrpc", "2.0", "id", 1, "method", "ping"))
        .header("Mcp-Session-Id", client.session()).header("MCP-Protocol-Version", "2001-01-01").send(), 400,
        "unsupported_protocol_version");
  }

  @Test
  void aNotificationIsAcceptedAndASessionCanBeEnded() {
    McpClient client = mcp(newKey());
    assertThat(client.send(json("jsonrpc", "2.0", "method", "notifications/cancelled")).status()).isEqualTo(202);
    assertThat(client.send(client.request("ping", null)).result().isObject()).isTrue();
    assertThat(api.delete("/mcp").header("Mcp-Session-Id", client.session()).send().status()).isEqualTo(204);
    assertThat(client.send(client.request("ping", null)).status()).isEqualTo(404);
  }

  @Test
  void theOriginalToolsPostClaimReadAndAck() {
    McpClient client = mcp(newKey());
    JsonNode posted = ok(client.call("post_task", json("channel", "mcp-jobs", "content", "resize 42",
        "metadata", json("size", 42), "actor_label", "planner")));
    String channel = posted.path("channel").asText();
    String messageId = posted.path("message_id").asText();
    assertThat(posted.path("envelope").path("message").path("content").asText()).isEqualTo("resize 42");

    JsonNode page = ok(client.call("subscribe", json("channel", channel, "since", "0", "limit", 10)));
    assertThat(page.path("data").get(0).path("id").asText()).isEqualTo(messageId);

    JsonNode claimed = ok(client.call("claim_task", json("channel", channel, "actor", "worker-1")));
    assertThat(claimed.path("message").path("id").asText()).isEqualTo(messageId);
    assertThat(ok(client.call("claim_task", json("channel", channel, "actor", "worker-2"))).path("claimed").isNull())
        .isTrue();
    assertThat(ok(client.call("ack_task", json("message_id", messageId, "actor", "worker-1"))).path("status")
        .asText()).isEqualTo("acknowledged");
    JsonNode done = ok(client.call("await_result", json("channel", channel, "message_id", messageId,
        "timeout_seconds", 5)));
    assertThat(done.path("status").asText()).isEqualTo("acknowledged");

    JsonNode shout = ok(client.call("broadcast", json("channel", "mcp-news", "content", "hello all")));
    assertThat(shout.path("message_id").asText()).isNotBlank();
    JsonNode channels = ok(client.call("list_channels", json("limit", 50)));
    assertThat(channels.path("data").isArray()).isTrue();
  }

  @Test
  void requestAccessAsksTheOwnerOfARestrictedChannel() {
    String owner = newKey();
    String restricted = createChannel(owner, "broadcast", "access", "restricted").get("id").asText();
    JsonNode asked = ok(mcp(newKey()).call("request_access", json("channel", restricted, "reason", "to help")));
    assertThat(asked.path("status").asText()).isEqualTo("pending");
  }

  @Test
  void workQueueToolsLeaseHeartbeatReleaseNackAndAck() {
    String key = newKey();
    McpClient client = mcp(key);
    String channel = claimableChannel(key);
    post(key, channel, "first");
    post(key, channel, "second");

    JsonNode lease = ok(client.call("claim_next", json("channel", channel, "lease_seconds", 60)));
    String token = lease.path("lease_token").asText();
    String first = lease.path("message").path("id").asText();
    assertThat(lease.path("fence").asLong()).isPositive();
    JsonNode beat = ok(client.call("heartbeat", json("lease_token", token, "lease_seconds", 120,
        "fence", lease.path("fence").asLong())));
    assertThat(beat.path("lease_token").asText()).isEqualTo(token);
    assertThat(ok(client.call("release_task", json("message_id", first))).path("status").asText())
        .isEqualTo("released");

    JsonNode again = ok(client.call("claim_next", json("channel", channel)));
    assertThat(again.path("message").path("id").asText()).isEqualTo(first);
    assertThat(ok(client.call("nack_task", json("message_id", first, "reason", "broken"))).has("status")).isTrue();
    JsonNode second = ok(client.call("claim_next", json("channel", channel, "match", json())));
    ok(client.call("ack_task", json("message_id", second.path("message").path("id").asText(),
        "fence", second.path("fence").asLong())));

    Answer stale = client.call("heartbeat", json("lease_token", token));
    assertThat(stale.isError()).as(stale.toString()).isTrue();
  }

  @Test
  void anAckCanClaimTheNextTask() {
    String key = newKey();
    String channel = claimableChannel(key);
    McpClient client = mcp(key);
    post(key, channel, "first");
    post(key, channel, "second");
    JsonNode lease = ok(client.call("claim_next", json("channel", channel)));

    JsonNode acked = ok(client.call("ack_task", json("message_id", lease.path("message").path("id").asText(),
        "fence", lease.path("fence").asLong(), "next", json("lease_seconds", 60))));

    assertThat(acked.path("next").path("message").path("content").asText()).isEqualTo("second");
    JsonNode last = ok(client.call("ack_task", json("message_id", acked.path("next").path("message").path("id")
        .asText(), "next", json())));
    assertThat(last.path("next").isNull()).as(last.toString()).isTrue();
  }

  @Test
  void claimNextWithNothingReadyAnswersClaimedNull() {
    String key = newKey();
    JsonNode none = ok(mcp(key).call("claim_next", json("channel", claimableChannel(key))));
    assertThat(none.path("claimed").isNull()).isTrue();
  }

  @Test
  void waitForMessagesStreamsAndWakesOnAPost() throws Exception {
    String key = newKey();
    McpClient client = mcp(key);
    String channel = broadcastChannel(key);
    CompletableFuture<Answer> waiting = client.sendAsync(client.toolCall("wait_for_messages",
        json("channel", channel, "wait", 20)), "application/json, text/event-stream");
    Await.longPollWaiters(server, 1);
    assertThat(waiting).isNotDone();
    post(key, channel, "wake up");
    Answer answer = waiting.get(15, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(answer.streamed()).as(answer.toString()).isTrue();
    assertThat(answer.http().body()).startsWith(": waiting");
    assertThat(answer.content().path("data").get(0).path("content").asText()).isEqualTo("wake up");
  }

  @Test
  void awaitResultStreamsProgressUntilTheAck() throws Exception {
    String key = newKey();
    McpClient client = mcp(key);
    String channel = claimableChannel(key);
    String id = postId(key, channel, "job");
    var call = client.request("tools/call", json("name", "await_result", "arguments",
        json("channel", channel, "message_id", id, "timeout_seconds", 20), "_meta", json("progressToken", "p1")));
    // GETs only: the POST above is counted after its answer reaches us, and could pass for the tool's look
    int polls = Await.answered(server, "GET", MESSAGES_ROUTE);
    CompletableFuture<Answer> waiting = client.sendAsync(call, "application/json, text/event-stream");
    Await.requestsAnswered(server, "GET", MESSAGES_ROUTE, polls + 1); // the tool's first look: unacked, so it reports progress
    assertThat(api.post("/v1/messages/" + id + "/ack", json()).key(key).send().status()).isEqualTo(200);
    Answer answer = waiting.get(15, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(answer.streamed()).isTrue();
    assertThat(answer.messages().get(0).path("method").asText()).isEqualTo("notifications/progress");
    assertThat(answer.messages().get(0).path("params").path("progressToken").asText()).isEqualTo("p1");
    assertThat(answer.content().path("status").asText()).isEqualTo("acknowledged");
  }

  @Test
  void aWaitingToolAnswersPlainJsonToAClientThatTakesNoStream() throws Exception {
    String key = newKey();
    McpClient client = mcp(key);
    Answer answer = client.sendAsync(client.toolCall("wait_for_messages", json("channel", broadcastChannel(key),
        "wait", 0.2)), "application/json").get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(answer.streamed()).isFalse();
    assertThat(answer.content().path("data").size()).isZero();
  }

  @Test
  void inboxAndMentionsReadTheWakeFeed() {
    Agent reader = newAgent();
    String author = newKey();
    String channel = broadcastChannel(author);
    post(author, channel, "ping @" + reader.label() + " please look");
    McpClient client = mcp(reader.key());
    JsonNode mentions = ok(client.call("mentions", json("since", "0")));
    assertThat(mentions.path("data").size()).as(mentions.toString()).isGreaterThanOrEqualTo(1);
    JsonNode inbox = ok(client.call("inbox", json("since", "0")));
    assertThat(inbox.path("data").isArray()).as(inbox.toString()).isTrue();
  }
}
