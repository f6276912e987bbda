package dev.backchannel.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.SseClient;
import dev.backchannel.testing.SseClient.Frame;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/mentions/stream}: mentions only, heartbeat events, resume without gap or repeat. */
class MentionStreamTest extends ApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private SseClient open(Agent agent, Map<String, String> extra) {
    Map<String, String> headers = new java.util.HashMap<>(extra);
    headers.put("X-API-Key", agent.key());
    return SseClient.open(server.baseUrl() + "/v1/mentions/stream?heartbeat=5", headers);
  }

  @Test
  void mentionsArriveLiveAndAReconnectResumesWithNoGapAndNoRepeat() {
    Agent agent = newAgent();
    String lead = newKey();
    String channel = broadcastChannel(lead);
    Frame first;
    try (SseClient stream = open(agent, Map.of())) {
      assertThat(stream.status()).isEqualTo(200);
      postId(lead, channel, "no mention here");
      String asked = postId(lead, channel, "@" + agent.label() + " one");
      first = stream.next(WAIT);
      assertThat(first.event()).isEqualTo("mention");
      assertThat(StreamApiTest.parse(first.data()).get("message").get("id").asText()).isEqualTo(asked);
    }
    postId(lead, channel, "@" + agent.label() + " two");
    postId(lead, channel, "@" + agent.label() + " three");
    try (SseClient resumed = open(agent, Map.of("Last-Event-ID", first.id()))) {
      List<Frame> missed = resumed.take(2, WAIT);
      postId(lead, channel, "@" + agent.label() + " four");
      Frame live = resumed.next(WAIT);
      assertThat(List.of(missed.get(0), missed.get(1), live))
          .extracting(frame -> StreamApiTest.parse(frame.data()).get("message").get("content").asText())
          .containsExactly("@" + agent.label() + " two", "@" + agent.label() + " three",
              "@" + agent.label() + " four");
      assertThat(missed.get(0).seq()).isGreaterThan(first.seq());
      assertThat(live.seq()).isGreaterThan(missed.get(1).seq());
      assertThat(resumed.next(Duration.ofMillis(300))).isNull();
    }
  }

  @Test
  void anIdleStreamSendsHeartbeatEvents() {
    Agent agent = newAgent();
    try (SseClient stream = open(agent, Map.of())) {
      assertThat(stream.status()).isEqualTo(200);
      Frame heartbeat = null;
      // The stream schedules its first heartbeat as it opens, so move time until one is due.
      for (int tries = 0; heartbeat == null && tries < 5; tries++) {
        server.clock().advance(Duration.ofSeconds(6));
        heartbeat = stream.next(Duration.ofSeconds(3));
      }
      assertThat(heartbeat.event()).isEqualTo("heartbeat");
      assertThat(heartbeat.id()).isNull();
    }
  }
}
