package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.Await;
import dev.backchannel.testing.SseClient;
import dev.backchannel.testing.SseClient.Frame;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Subscriptions, mentions, read positions and the wake feed (extensions §5). */
class AgentApiTest extends ApiTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  @Override
  protected Map<String, String> settings() {
    return Map.of("stream_heartbeat_millis", "200");
  }

  @Test
  void subscribersAreListedUntilTheyUnsubscribe() {
    String key = newKey();
    String channel = broadcastChannel(key);
    ApiClient.Response subscribed = api.post("/v1/channels/" + channel + "/subscribe", json("actor", "watcher"))
        .key(key).send();
    assertThat(subscribed.status()).isEqualTo(200);
    assertThat(subscribed.json().get("actor").get("name").asText()).isEqualTo("watcher");
    JsonNode subscribers = api.get("/v1/channels/" + channel + "/subscribers").key(key).send().json().get("data");
    assertThat(subscribers).extracting(s -> s.get("actor").get("name").asText()).containsExactly("watcher");
    assertThat(api.post("/v1/channels/" + channel + "/unsubscribe", json("actor", "watcher")).key(key).send()
        .json().get("unsubscribed").asBoolean()).isTrue();
    assertThat(api.get("/v1/channels/" + channel + "/subscribers").key(key).send().json().get("data")).isEmpty();
  }

  @Test
  void mentionsByFieldAndByAtNameReachOnlyActorsWhoCanReadTheChannel() {
    String poster = newKey();
    Agent insiderAgent = newAgent();
    String insiderLabel = insiderAgent.label();
    String insider = insiderAgent.key();
    Agent outsiderAgent = newAgent();
    String outsiderLabel = outsiderAgent.label();
    String outsider = outsiderAgent.key();
    String insiderActor = api.post("/v1/actors", json("name", "reviewer")).key(insider).send().text("id");
    String room = broadcastChannel(poster);
    api.patch("/v1/channels/" + room, json("access", "restricted")).key(poster).send();
    api.post("/v1/channels/" + room + "/members", json("key_id", insiderAgent.keyId())).key(poster).send();

    JsonNode byField = postFields(poster, room, "content", "please look", "mentions", List.of(insiderActor));
    assertThat(byField.get("mentions")).extracting(m -> m.get("id").asText()).containsExactly(insiderActor);
    post(poster, room, "@" + insiderLabel + " and @" + outsiderLabel + ", thoughts?");

    JsonNode insiderInbox = api.get("/v1/mentions?since=0").key(insider).send().json().get("data");
    assertThat(insiderInbox).hasSize(2);
    assertThat(insiderInbox.get(0).get("message").get("content").asText()).isEqualTo("please look");
    assertThat(insiderInbox.get(1).get("mention").get("actor").get("name").asText()).isEqualTo(insiderLabel);
    assertThat(api.get("/v1/mentions?since=0").key(outsider).send().json().get("data")).isEmpty();
  }

  @Test
  void aMentionClaimedByAnotherKeyAnswers409WithRetryAfterSeconds() {
    String poster = newKey();
    Agent firstAgent = newAgent();
    String agent = firstAgent.label();
    String first = firstAgent.key();
    String channel = broadcastChannel(poster);
    post(poster, channel, "hey @" + agent);
    String mentionId = api.get("/v1/mentions").key(first).send().json().get("data").get(0).get("mention").get("id")
        .asText();
    assertThat(api.post("/v1/mentions/claim", json("mention_id", mentionId, "ttl_seconds", 60)).key(first).send()
        .status()).isEqualTo(200);

    api.delete("/v1/keys/me").key(first).send();
    String second = api.mintKey(agent);
    ApiClient.Response refused = api.post("/v1/mentions/claim", json("mention_id", mentionId)).key(second).send();
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.error()).isEqualTo("mention_claimed");
    assertThat(refused.json().get("retry_after_seconds").asLong()).isBetween(1L, 60L);
    assertThat(refused.header("Retry-After")).isNotNull();

    server.clock().advance(Duration.ofSeconds(61));
    assertThat(api.post("/v1/mentions/claim", json("mention_id", mentionId)).key(second).send().status())
        .isEqualTo(200);
    assertThat(api.post("/v1/mentions/ack", json("mention_ids", List.of(mentionId))).key(second).send().json()
        .get("acknowledged").asInt()).isEqualTo(1);
    assertThat(api.get("/v1/mentions").key(second).send().json().get("data").get(0).get("mention").get("acked_at")
        .isNull()).isFalse();
  }

  @Test
  void mentionAcksTakeAtMostAHundredIds() {
    Agent agent = newAgent();
    String channel = broadcastChannel(agent.key());
    post(agent.key(), channel, "note to self @" + agent.label());
    String mentionId = api.get("/v1/mentions").key(agent.key()).send().json().get("data").get(0).get("mention")
        .get("id").asText();
    List<String> tooMany = IntStream.range(0, 101).mapToObj(i -> i == 0 ? mentionId : "unknown-" + i).toList();
    expectError(api.post("/v1/mentions/ack", json("mention_ids", tooMany)).key(agent.key()).send(), 422,
        "invalid_field");
    assertThat(api.get("/v1/mentions").key(agent.key()).send().json().get("data").get(0).get("mention")
        .get("acked_at").isNull()).isTrue();
    assertThat(api.post("/v1/mentions/ack", json("mention_ids", tooMany.subList(0, 100))).key(agent.key()).send()
        .json().get("acknowledged").asInt()).isEqualTo(1);
  }

  @Test
  void unreadForReturnsOnlyWhatTheReaderHasNotMarkedRead() {
    String key = newKey();
    String channel = broadcastChannel(key);
    post(key, channel, "one");
    String second = post(key, channel, "two").get("id").asText();
    post(key, channel, "three");

    ApiClient.Response marked = api.post("/v1/channels/" + channel + "/read", json("actor", "ann", "up_to", second))
        .key(key).send();
    assertThat(marked.status()).isEqualTo(200);
    assertThat(marked.json().get("unread").asInt()).isEqualTo(1);

    JsonNode unread = api.get("/v1/channels/" + channel + "/messages?since=0&unread_for=ann").key(key).send().json();
    assertThat(unread.get("data")).extracting(m -> m.get("content").asText()).containsExactly("three");
    JsonNode readers = api.get("/v1/channels/" + channel + "/readers").key(key).send().json().get("data");
    assertThat(readers.get(0).get("actor").get("name").asText()).isEqualTo("ann");
    assertThat(readers.get(0).get("unread").asInt()).isEqualTo(1);
    // positions never move back
    api.post("/v1/channels/" + channel + "/read", json("actor", "ann", "up_to", "1")).key(key).send();
    assertThat(api.get("/v1/channels/" + channel + "/readers").key(key).send().json().get("data").get(0)
        .get("unread").asInt()).isEqualTo(1);
  }

  @Test
  void theWakeFeedLongPollsForSubscribedChannelsAndMentions() throws Exception {
    String key = newKey();
    String jobs = claimableChannel(key);
    api.post("/v1/channels/" + jobs + "/subscribe", json()).key(key).send();
    CompletableFuture<ApiClient.Response> waiting = CompletableFuture.supplyAsync(
        () -> api.get("/v1/agents/me/events?since=0&wait=20").key(key).send());
    Await.longPollWaiters(server, 1);
    post(key, jobs, "work item");
    JsonNode page = waiting.get(5, TimeUnit.SECONDS).json();
    assertThat(page.get("data").get(0).get("type").asText()).isEqualTo("claimable");
    assertThat(page.get("next_cursor").asText()).isEqualTo(page.get("data").get(0).get("seq").asText());

    JsonNode heartbeat = api.get("/v1/agents/me/heartbeat").key(key).send().json();
    assertThat(heartbeat.get("claimable").asInt()).isEqualTo(1);
    assertThat(heartbeat.get("needs_action").asBoolean()).isTrue();
  }

  @Test
  void theWakeFeedStreamsEventsAndWarnsBeforeALeaseLapses() {
    Agent streamed = newAgent();
    String label = streamed.label();
    String key = streamed.key();
    String jobs = claimableChannel(key);
    api.post("/v1/channels/" + jobs + "/subscribe", json()).key(key).send();
    try (SseClient feed = SseClient.open(server.baseUrl() + "/v1/agents/me/events",
        Map.of("X-API-Key", key, "Accept", "text/event-stream"))) {
      assertThat(feed.status()).isEqualTo(200);
      String id = post(key, jobs, "lease me").get("id").asText();
      Frame work = feed.next(WAIT);
      assertThat(work.event()).isEqualTo("claimable");
      api.post("/v1/messages/" + id + "/claim-with-lease", json("lease_seconds", 60)).key(key).send();
      server.clock().advance(Duration.ofSeconds(40));
      Frame warning = feed.next(WAIT);
      assertThat(warning.event()).isEqualTo("lease_expiring");
      assertThat(StreamApiTest.parse(warning.data()).get("message_id").asText()).isEqualTo(id);

      String mentioner = newKey();
      String open = broadcastChannel(mentioner);
      post(mentioner, open, "ping @" + label);
      Frame mention = feed.next(WAIT);
      assertThat(mention.event()).isEqualTo("mention");
      try (SseClient resumed = SseClient.open(server.baseUrl() + "/v1/agents/me/events",
          Map.of("X-API-Key", key, "Accept", "text/event-stream", "Last-Event-ID", work.id()))) {
        assertThat(resumed.next(WAIT).id()).isEqualTo(mention.id());
      }
    }
  }

  private JsonNode postFields(String key, String channel, Object... fields) {
    ApiClient.Response r = api.post("/v1/channels/" + channel + "/messages", json(fields)).key(key).send();
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("message");
  }
}
