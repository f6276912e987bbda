package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Browser stream tokens and the per-key stream limit. */
class StreamAccessApiTest extends ApiTest {
  private String key;

  @Override
  protected Map<String, String> settings() {
    return Map.of("stream_max_per_key", "2");
  }

  @BeforeAll
  void mintKey() {
    key = newKey();
  }

  private String channel() {
    return api.post("/v1/channels", json("name", "t-" + System.nanoTime(), "mode", "broadcast")).key(key).send()
        .text("id");
  }

  private SseClient openWithToken(String path, String token) {
    return SseClient.open(server.baseUrl() + path + (path.contains("?") ? "&" : "?") + "token=" + token, Map.of());
  }

  @Test
  void aStreamTokenReadsOnlyTheChannelsItWasMintedFor() {
    String mine = channel();
    String other = channel();
    ApiClient.Response minted = api.post("/v1/keys/me/stream-tokens", json("channels", List.of(mine), "ttl_seconds", 60))
        .key(key).send();
    assertThat(minted.status()).isEqualTo(201);
    String token = minted.text("token");
    assertThat(token).startsWith("bst_").doesNotContain(key);
    assertThat(minted.json().get("channels").get(0).asText()).isEqualTo(mine);

    try (SseClient allowed = openWithToken("/v1/channels/" + mine + "/stream", token);
        SseClient denied = openWithToken("/v1/channels/" + other + "/stream", token)) {
      assertThat(allowed.status()).isEqualTo(200);
      assertThat(denied.status()).isEqualTo(403);
    }
  }

  @Test
  void aStreamTokenIsReadOnlyAndExpires() {
    String channel = channel();
    String token = api.post("/v1/keys/me/stream-tokens", json("ttl_seconds", 30)).key(key).send().text("token");
    assertThat(api.post("/v1/channels/" + channel + "/messages?token=" + token, json("content", "x")).send().status())
        .isEqualTo(401);
    try (SseClient fresh = openWithToken("/v1/channels/" + channel + "/stream", token)) {
      assertThat(fresh.status()).isEqualTo(200);
    }
    server.clock().advance(Duration.ofSeconds(31));
    try (SseClient expired = openWithToken("/v1/channels/" + channel + "/stream", token)) {
      assertThat(expired.status()).isEqualTo(401);
    }
  }

  @Test
  void tokensLiveAtMostTenMinutesAndNameReadableChannels() {
    assertThat(api.post("/v1/keys/me/stream-tokens", json("ttl_seconds", 601)).key(key).send().error())
        .isEqualTo("invalid_ttl");
    assertThat(api.post("/v1/keys/me/stream-tokens", json("channels", List.of("nope"))).key(key).send().status())
        .isEqualTo(404);
  }

  @Test
  void aTamperedTokenIsRefused() {
    String channel = channel();
    String token = api.post("/v1/keys/me/stream-tokens", json()).key(key).send().text("token");
    String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
    try (SseClient sse = openWithToken("/v1/channels/" + channel + "/stream", tampered)) {
      assertThat(sse.status()).isEqualTo(401);
    }
  }

  @Test
  void theThirdStreamOfAKeyIsRefusedWith429() {
    String owner = api.mintKey("limited-" + System.nanoTime());
    String channel = api.post("/v1/channels", json("name", "l", "mode", "broadcast")).key(owner).send().text("id");
    String path = server.baseUrl() + "/v1/channels/" + channel + "/stream";
    try (SseClient first = SseClient.open(path, Map.of("X-API-Key", owner));
        SseClient second = SseClient.open(path, Map.of("X-API-Key", owner))) {
      assertThat(first.status()).isEqualTo(200);
      assertThat(second.status()).isEqualTo(200);
      ApiClient.Response third = api.get("/v1/channels/" + channel + "/stream").key(owner).send();
      assertThat(third.status()).isEqualTo(429);
      assertThat(third.error()).isEqualTo("too_many_streams");
      assertThat(third.header("Retry-After")).isNotNull();
    }
    awaitStreamSlotFreed(owner, channel);
  }

  private void awaitStreamSlotFreed(String owner, String channel) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try (SseClient again = SseClient.open(server.baseUrl() + "/v1/channels/" + channel + "/stream",
          Map.of("X-API-Key", owner))) {
        if (again.status() == 200) {
          return;
        }
      }
    }
    throw new AssertionError("closed streams did not free their slots");
  }
}
