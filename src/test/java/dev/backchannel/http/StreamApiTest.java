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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamApiTest extends ApiTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  private String key;

  @Override
  protected Map<String, String> settings() {
    return Map.of("stream_heartbeat_millis", "200");
  }

  @BeforeAll
  void mintKey() {
    key = newKey();
  }

  private String channel(String mode) {
    return api.post("/v1/channels", json("name", "s-" + System.nanoTime(), "mode", mode)).key(key).send().text("id");
  }

  private JsonNode publish(String channelId, Object... fields) {
    ApiClient.Response response = api.post("/v1/channels/" + channelId + "/messages", json(fields)).key(key).send();
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json().get("message");
  }

  private SseClient stream(String pathAndQuery, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.putIfAbsent("X-API-Key", key);
    return SseClient.open(server.baseUrl() + pathAndQuery, all);
  }

  @Test
  void replaysFromSinceThenDeliversLiveMessagesInOrder() {
    String channel = channel("broadcast");
    long first = publish(channel, "content", "one").get("seq").asLong();
    publish(channel, "content", "two");
    try (SseClient sse = stream("/v1/channels/" + channel + "/stream?since=0", Map.of())) {
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.header("Content-Type")).startsWith("text/event-stream");
      assertThat(sse.header("Cache-Control")).isEqualTo("no-cache");
      assertThat(sse.header("X-Accel-Buffering")).isEqualTo("no");
      List<Frame> replayed = sse.take(2, WAIT);
      assertThat(replayed).extracting(Frame::event).containsExactly("message", "message");
      assertThat(replayed.get(0).seq()).isEqualTo(first);
      publish(channel, "content", "three");
      Frame live = sse.next(WAIT);
      assertThat(live.seq()).isGreaterThan(replayed.get(1).seq());
      assertThat(ApiClient.JSON.valueToTree(parse(live.data())).get("content").asText()).isEqualTo("three");
    }
  }

  @Test
  void withoutResumePointOnlyNewMessagesArrive() {
    String channel = channel("broadcast");
    publish(channel, "content", "old");
    try (SseClient sse = stream("/v1/channels/" + channel + "/stream", Map.of())) {
      assertThat(sse.next(Duration.ofMillis(300))).isNull();
      publish(channel, "content", "new");
      assertThat(parse(sse.next(WAIT).data()).get("content").asText()).isEqualTo("new");
    }
  }

  @Test
  void lastEventIdWinsOverSince() {
    String channel = channel("broadcast");
    long first = publish(channel, "content", "a").get("seq").asLong();
    long second = publish(channel, "content", "b").get("seq").asLong();
    try (SseClient sse = stream("/v1/channels/" + channel + "/stream?since=0",
        Map.of("Last-Event-ID", Long.toString(first)))) {
      assertThat(sse.next(WAIT).seq()).isEqualTo(second);
    }
  }

  @Test
  void heartbeatsOnAnIdleStreamFollowTheServersTicker() {
    String channel = channel("broadcast");
    try (SseClient sse = stream("/v1/channels/" + channel + "/stream", Map.of())) {
      Await.until("the preamble's comment", () -> sse.comments() >= 1);
      sse.next(Duration.ofMillis(1_500)); // the hub looks at its streams every second
      assertThat(sse.comments()).as("no heartbeat while the ticker stands still").isEqualTo(1);
      for (int beat = 2; beat <= 4; beat++) {
        server.clock().advance(Duration.ofMillis(200));
        int expected = beat;
        Await.until("heartbeat " + (beat - 1), () -> sse.comments() >= expected);
      }
    }
  }

  @Test
  void metadataFiltersAreAppliedOnTheServer() {
    String channel = channel("broadcast");
    try (SseClient sse = stream("/v1/channels/" + channel + "/stream?metadata.kind=build&since=0", Map.of())) {
      publish(channel, "content", "skip", "metadata", Map.of("kind", "deploy"));
      publish(channel, "content", "keep", "metadata", Map.of("kind", "build", "n", 1));
      publish(channel, "content", "skip too");
      Frame frame = sse.next(WAIT);
      assertThat(parse(frame.data()).get("content").asText()).isEqualTo("keep");
      assertThat(sse.next(Duration.ofMillis(300))).isNull();
    }
  }

  @Test
  void lifecycleEventsAreSentOnlyWhenAskedFor() {
    String channel = channel("claimable");
    try (SseClient plain = stream("/v1/channels/" + channel + "/stream", Map.of());
        SseClient watcher = stream("/v1/channels/" + channel + "/stream?events=message,claimed,acked", Map.of())) {
      String id = publish(channel, "content", "job").get("id").asText();
      api.post("/v1/messages/" + id + "/claim", json("actor", "w")).key(key).send();
      api.post("/v1/messages/" + id + "/ack", json("actor", "w")).key(key).send();
      List<Frame> watched = watcher.take(3, WAIT);
      assertThat(watched).extracting(Frame::event).containsExactly("message", "claimed", "acked");
      assertThat(watched.get(1).seq()).isGreaterThan(watched.get(0).seq());
      assertThat(parse(watched.get(1).data()).get("claimed_by").get("name").asText()).isEqualTo("w");
      assertThat(plain.take(3, Duration.ofMillis(500))).extracting(Frame::event).containsExactly("message");
    }
  }

  @Test
  void resumingFromAPurgedPointSendsAResetFirst() {
    String channel = api.post("/v1/channels", json("name", "short", "mode", "broadcast", "ttl_seconds", 300))
        .key(key).send().text("id");
    long gone = publish(channel, "content", "expires").get("seq").asLong();
    server.clock().advance(Duration.ofSeconds(301));
    server.sweepNow();
    long kept = publish(channel, "content", "fresh").get("seq").asLong();
    try (SseClient sse = stream("/v1/channels/" + channel + "/stream",
        Map.of("Last-Event-ID", Long.toString(gone - 1)))) {
      Frame reset = sse.next(WAIT);
      assertThat(reset.event()).isEqualTo("reset");
      assertThat(parse(reset.data()).get("reason").asText()).isEqualTo("history_gap");
      assertThat(parse(reset.data()).get("oldest_seq").asLong()).isEqualTo(kept);
      assertThat(sse.next(WAIT).seq()).isEqualTo(kept);
    }
  }

  @Test
  void streamsCheckAccessBeforeOpening() {
    String restricted = api.post("/v1/channels", json("name", "private", "mode", "broadcast", "access", "restricted"))
        .key(key).send().text("id");
    String stranger = api.mintKey("stranger-" + System.nanoTime());
    try (SseClient denied = stream("/v1/channels/" + restricted + "/stream", Map.of("X-API-Key", stranger));
        SseClient missing = stream("/v1/channels/no-such-channel/stream", Map.of());
        SseClient anonymous = SseClient.open(server.baseUrl() + "/v1/channels/" + restricted + "/stream", Map.of())) {
      assertThat(denied.status()).isEqualTo(403);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(anonymous.status()).isEqualTo(401);
    }
  }

  @Test
  void deletingTheChannelEndsItsStreams() {
    String channel = channel("broadcast");
    try (SseClient sse = stream("/v1/channels/" + channel + "/stream", Map.of())) {
      assertThat(api.delete("/v1/channels/" + channel).key(key).send().status()).isEqualTo(204);
      assertThat(sse.awaitEnd(WAIT)).isTrue();
    }
  }

  @Test
  void revokingTheKeyEndsItsStreams() {
    String own = api.mintKey("revoked-" + System.nanoTime());
    String channel = api.post("/v1/channels", json("name", "mine", "mode", "broadcast")).key(own).send().text("id");
    try (SseClient sse = stream("/v1/channels/" + channel + "/stream", Map.of("X-API-Key", own))) {
      assertThat(sse.status()).isEqualTo(200);
      api.delete("/v1/keys/me").key(own).send();
      assertThat(sse.awaitEnd(WAIT)).isTrue();
    }
  }

  @Test
  void multiChannelStreamsInterleaveInSeqOrder() {
    String a = channel("broadcast");
    String b = channel("broadcast");
    long first = publish(a, "content", "a1").get("seq").asLong();
    publish(b, "content", "b1");
    try (SseClient sse = stream("/v1/stream?channels=" + a + "," + b + "&since=" + (first - 1), Map.of())) {
      publish(a, "content", "a2");
      List<Frame> frames = sse.take(3, WAIT);
      assertThat(frames).extracting(f -> parse(f.data()).get("content").asText()).containsExactly("a1", "b1", "a2");
    }
  }

  @Test
  void badStreamParametersAre422BeforeOpening() {
    String channel = channel("broadcast");
    assertThat(api.get("/v1/channels/" + channel + "/stream?since=garbage").key(key).send().error())
        .isEqualTo("invalid_cursor");
    assertThat(api.get("/v1/channels/" + channel + "/stream?events=nope").key(key).send().error())
        .isEqualTo("invalid_events");
    assertThat(api.get("/v1/channels/" + channel + "/stream?heartbeat=1").key(key).send().error())
        .isEqualTo("invalid_heartbeat");
    assertThat(api.get("/v1/stream").key(key).send().error()).isEqualTo("missing_field");
  }

  static JsonNode parse(String data) {
    try {
      return ApiClient.JSON.readTree(data);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
