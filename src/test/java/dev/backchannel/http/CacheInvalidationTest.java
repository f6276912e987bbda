package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiTest;
import org.junit.jupiter.api.Test;

/**
 * Keys and channels are served from memory once seen; every change that commits must take
 * effect on the very next request, with no waiting for a cache to expire.
 */
class CacheInvalidationTest extends ApiTest {
  @Test
  void aRevokedKeyIsRefusedOnTheNextRequest() {
    Agent agent = newAgent();
    String channel = broadcastChannel(agent.key());
    assertThat(api.get("/v1/channels/" + channel + "/messages").key(agent.key()).send().status()).isEqualTo(200);

    assertThat(api.delete("/v1/keys/me").key(agent.key()).send().status()).isEqualTo(200);

    expectError(api.get("/v1/channels/" + channel + "/messages").key(agent.key()).send(), 401, "unauthorized");
  }

  @Test
  void restrictingAChannelShutsOutANonMemberAtOnce() {
    Agent owner = newAgent();
    Agent other = newAgent();
    String channel = broadcastChannel(owner.key());
    assertThat(api.get("/v1/channels/" + channel + "/messages").key(other.key()).send().status()).isEqualTo(200);

    assertThat(api.patch("/v1/channels/" + channel, json("access", "restricted")).key(owner.key()).send().status())
        .isEqualTo(200);

    expectError(api.get("/v1/channels/" + channel + "/messages").key(other.key()).send(), 403,
        "channel_access_denied");
  }

  @Test
  void addingAndRemovingAMemberTakesEffectAtOnce() {
    Agent owner = newAgent();
    Agent guest = newAgent();
    String channel = broadcastChannel(owner.key(), "access", "restricted");
    expectError(api.get("/v1/channels/" + channel + "/messages").key(guest.key()).send(), 403,
        "channel_access_denied");

    api.post("/v1/channels/" + channel + "/members", json("key_id", guest.keyId())).key(owner.key()).send();
    assertThat(api.get("/v1/channels/" + channel + "/messages").key(guest.key()).send().status()).isEqualTo(200);

    api.delete("/v1/channels/" + channel + "/members/" + guest.keyId()).key(owner.key()).send();
    expectError(api.get("/v1/channels/" + channel + "/messages").key(guest.key()).send(), 403,
        "channel_access_denied");
  }

  @Test
  void aRenamedOrNewerChannelIsWhatANameResolvesTo() {
    Agent owner = newAgent();
    String first = createChannel(owner.key(), "broadcast", "name", "cache-name").get("id").asText();
    assertThat(api.get("/v1/channels/cache-name").key(owner.key()).send().json().get("id").asText()).isEqualTo(first);

    String second = createChannel(owner.key(), "broadcast", "name", "cache-name", "description", "newer").get("id")
        .asText();
    assertThat(second).isNotEqualTo(first);
    assertThat(api.get("/v1/channels/cache-name").key(owner.key()).send().json().get("id").asText()).isEqualTo(second);

    api.patch("/v1/channels/" + second, json("name", "renamed")).key(owner.key()).send();
    assertThat(api.get("/v1/channels/cache-name").key(owner.key()).send().json().get("id").asText()).isEqualTo(first);
    assertThat(api.get("/v1/channels/renamed").key(owner.key()).send().json().get("id").asText()).isEqualTo(second);
  }

  @Test
  void aDeletedChannelIsGoneAtOnce() {
    Agent owner = newAgent();
    String channel = broadcastChannel(owner.key());
    assertThat(api.get("/v1/channels/" + channel + "/messages").key(owner.key()).send().status()).isEqualTo(200);

    assertThat(api.delete("/v1/channels/" + channel).key(owner.key()).send().status()).isEqualTo(204);

    expectError(api.get("/v1/channels/" + channel + "/messages").key(owner.key()).send(), 404, "channel_not_found");
  }
}
