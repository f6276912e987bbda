package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.config.ConfigLoader;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The limiters of contract §5.10 against the real server, with time moved by the fake clock:
 * the N+1th call is refused with the firing limiter's own Retry-After (§10.2 #11), keyed answers
 * carry X-RateLimit-* (and unkeyed ones no Remaining, §10.2 #14), and the client address comes
 * from X-Forwarded-For only through a trusted proxy.
 */
@Timeout(60)
class RateLimitApiTest {
  private static final AtomicInteger ADDRESSES = new AtomicInteger();

  /** A server behind a trusted proxy (the test itself, on 127.0.0.1), with small limits. */
  @Nested
  class BehindATrustedProxy extends ApiTest {
    @Override
    protected Map<String, String> settings() {
      return Map.of("rate_limit", "3", "rate_limit_window", "60", "key_mint_limit", "2",
          "key_mint_window", "3600", "trusted_proxies", "not-a-network, 10.0.0.0/99, 127.0.0.1/32");
    }

    /** Mints from an address of its own, so every test has a fresh mint budget. */
    String mint(String label) {
      Response minted = api.post("/v1/keys", json("agent_label", label)).header("X-Forwarded-For", freshAddress())
          .send();
      assertThat(minted.status()).isEqualTo(201);
      return minted.text("key");
    }

    @Test
    void fourthKeyedCallInTheWindowIs429WithTheWindowLeftAsRetryAfter() {
      String key = mint("limited");

      for (int remaining = 2; remaining >= 0; remaining--) {
        Response ok = api.get("/v1/keys/me").key(key).send();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("X-RateLimit-Limit")).isEqualTo("3");
        assertThat(ok.header("X-RateLimit-Window")).isEqualTo("60");
        assertThat(ok.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(remaining));
        assertThat(ok.header("X-RateLimit-Reset")).isEqualTo("60");
      }
      server.clock().advance(Duration.ofSeconds(20));
      Response refused = api.get("/v1/keys/me").key(key).send();

      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.error()).isEqualTo("rate_limit_exceeded");
      assertThat(refused.header("Retry-After")).isEqualTo("40");
      assertThat(refused.json().get("retry_after").asInt()).isEqualTo(40);
      assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");

      server.clock().advance(Duration.ofSeconds(40));
      assertThat(api.get("/v1/keys/me").key(key).send().status()).isEqualTo(200);
    }

    @Test
    void refusedCallsDoNotCountAndEachKeyHasItsOwnBudget() {
      String key = mint("budget-a");
      String other = mint("budget-b");
      for (int i = 0; i < 3; i++) {
        api.get("/v1/keys/me").key(key).send();
      }
      for (int i = 0; i < 5; i++) {
        assertThat(api.get("/v1/keys/me").key(key).send().status()).isEqualTo(429);
      }

      assertThat(api.get("/v1/keys/me").key(other).send().status()).isEqualTo(200);
      server.clock().advance(Duration.ofSeconds(60));
      Response again = api.get("/v1/keys/me").key(key).send();
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.header("X-RateLimit-Remaining")).isEqualTo("2");
    }

    @Test
    void keyedErrorsCarryRemainingButUnkeyedAnswersDoNot() {
      String key = mint("headers");

      Response notFound = api.get("/v1/channels/nope").key(key).send();
      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.header("X-RateLimit-Remaining")).isEqualTo("2");

      Response health = api.get("/health").send();
      assertThat(health.header("X-RateLimit-Limit")).isEqualTo("3");
      assertThat(health.header("X-RateLimit-Remaining")).isNull();
      Response unauthorized = api.get("/v1/keys/me").send();
      assertThat(unauthorized.status()).isEqualTo(401);
      assertThat(unauthorized.header("X-RateLimit-Remaining")).isNull();
      Response minted = api.post("/v1/keys", json("agent_label", "headers-2")).header("X-Forwarded-For",
          freshAddress()).send();
      assertThat(minted.header("X-RateLimit-Remaining")).isNull();
    }

    @Test
    void mintingCountsEveryAttemptPerClientAddressAndAnswersWithTheMintWindow() {
      String address = freshAddress();

      assertThat(api.post("/v1/keys", json()).header("X-Forwarded-For", address).send().status()).isEqualTo(422);
      assertThat(api.post("/v1/keys", json("agent_label", "mint-1")).header("X-Forwarded-For", address).send()
          .status()).isEqualTo(201);
      Response refused = api.post("/v1/keys", json("agent_label", "mint-2")).header("X-Forwarded-For", address)
          .send();

      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.error()).isEqualTo("rate_limit_exceeded");
      assertThat(refused.header("Retry-After")).isEqualTo("3600");
      assertThat(refused.json().get("retry_after").asInt()).isEqualTo(3600);
      assertThat(api.post("/v1/keys", json("agent_label", "mint-3")).header("X-Forwarded-For", freshAddress())
          .send().status()).isEqualTo(201);
      server.clock().advance(Duration.ofHours(1));
      assertThat(api.post("/v1/keys", json("agent_label", "mint-2")).header("X-Forwarded-For", address).send()
          .status()).isEqualTo(201);
    }

    @Test
    void tenInvitationLookupsPerAddressThenTheEleventhIs429() {
      String address = freshAddress();
      for (int i = 0; i < 10; i++) {
        Response lookup = api.get("/v1/channel-invitations/whatever").header("X-Forwarded-For", address).send();
        assertThat(lookup.status()).isEqualTo(401);
        assertThat(lookup.error()).isEqualTo("api_key_required");
      }

      Response refused = api.get("/v1/channel-invitations/whatever").header("X-Forwarded-For", address).send();

      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.error()).isEqualTo("rate_limit_exceeded");
      assertThat(refused.header("Retry-After")).isEqualTo("60");
      assertThat(api.get("/v1/channel-invitations/whatever").header("X-Forwarded-For", freshAddress()).send()
          .status()).isEqualTo(401);
    }

    @Test
    void theClientIsTheRightMostHopThatIsNotATrustedProxy() {
      String key = mintFrom("203.0.113.9, 198.51.100.7, 127.0.0.1", "walker");

      assertThat(lastIssueAddress(key)).isEqualTo("198.51.100.7");
    }

    @Test
    void withOnlyTrustedHopsThePeerIsTheClient() {
      String key = mintFrom("127.0.0.1", "all-trusted");

      assertThat(lastIssueAddress(key)).isEqualTo("127.0.0.1");
    }

    @Test
    void aTrustedProxyWithoutForwardedForIsItselfTheClient() {
      Response minted = api.post("/v1/keys", json("agent_label", "no-header")).send();

      assertThat(lastIssueAddress(minted.text("key"))).isEqualTo("127.0.0.1");
    }

    @Test
    void forwardedProtoFromATrustedProxyTurnsOnHsts() {
      Response https = api.get("/health").header("X-Forwarded-Proto", "https").send();
      Response http = api.get("/health").header("X-Forwarded-Proto", "http").send();

      assertThat(https.header("Strict-Transport-Security")).isEqualTo("max-age=31536000; includeSubDomains");
      assertThat(http.header("Strict-Transport-Security")).isNull();
    }

    private String mintFrom(String forwardedFor, String label) {
      Response minted = api.post("/v1/keys", json("agent_label", label)).header("X-Forwarded-For", forwardedFor)
          .send();
      assertThat(minted.status()).isEqualTo(201);
      return minted.text("key");
    }

    /** The remote address the server recorded for the key's issue event. */
    private String lastIssueAddress(String key) {
      JsonNode events = api.get("/v1/security/audit").key(key).send().json().get("data");
      for (JsonNode event : events) {
        if (event.get("event_type").asText().equals("key.issue")) {
          return event.get("remote_addr").asText();
        }
      }
      throw new AssertionError("no key.issue event in " + events);
    }
  }

  /** A server with the per-key limit off and no trusted proxy. */
  @Nested
  class WithoutProxyOrPerKeyLimit extends ApiTest {
    @Override
    protected Map<String, String> settings() {
      return Map.of("rate_limit", "0", "key_mint_limit", "1");
    }

    @Test
    void rateLimitZeroLetsEveryCallThroughAndSaysSo() {
      assertThat(new ConfigLoader(Map.of("BACKCHANNEL_RATE_LIMIT", "0")).loadWithoutFile(Map.of()).rateLimit())
          .as("the environment variable of the setting this server runs with").isZero();
      server.clock().advance(Duration.ofHours(2));
      String key = api.post("/v1/keys", json("agent_label", "unlimited")).header("X-Forwarded-For", "192.0.2.1")
          .send().text("key");

      for (int i = 0; i < 150; i++) {
        Response me = api.get("/v1/keys/me").key(key).send();
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.header("X-RateLimit-Limit")).isEqualTo("0");
        assertThat(me.header("X-RateLimit-Remaining")).isNull();
      }
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() {
      server.clock().advance(Duration.ofHours(2));
      Response first = api.post("/v1/keys", json("agent_label", "spoof-1")).header("X-Forwarded-For", "192.0.2.10")
          .send();
      Response second = api.post("/v1/keys", json("agent_label", "spoof-2")).header("X-Forwarded-For", "192.0.2.11")
          .send();
      Response hsts = api.get("/health").header("X-Forwarded-Proto", "https").send();

      assertThat(first.status()).isEqualTo(201);
      assertThat(second.status()).as("both count against the peer, 127.0.0.1").isEqualTo(429);
      assertThat(hsts.header("Strict-Transport-Security")).isNull();
    }
  }

  @Test
  void channelWriteThrottleRefusesTheThirdWriteForAMinute() {
    TestServer quiet = TestServer.start();
    try {
      ApiClient client = quiet.client();
      String key = client.mintKey("writer");
      String channel = client.post("/v1/channels", json("name", "slow", "mode", "broadcast",
          "max_writes_per_minute", 2)).key(key).send().text("id");
      for (int i = 0; i < 2; i++) {
        assertThat(client.post("/v1/channels/" + channel + "/messages", json("content", "m" + i)).key(key).send()
            .status()).isEqualTo(201);
      }

      Response refused = client.post("/v1/channels/" + channel + "/messages", json("content", "m2")).key(key).send();
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.error()).isEqualTo("channel_write_rate_exceeded");
      assertThat(refused.header("Retry-After")).isEqualTo("60");

      quiet.clock().advance(Duration.ofSeconds(61));
      assertThat(client.post("/v1/channels/" + channel + "/messages", json("content", "m2")).key(key).send()
          .status()).isEqualTo(201);
    } finally {
      quiet.close();
    }
  }

  private static String freshAddress() {
    int n = ADDRESSES.incrementAndGet();
    return "198.18." + (n / 250) + "." + (n % 250 + 1);
  }
}
