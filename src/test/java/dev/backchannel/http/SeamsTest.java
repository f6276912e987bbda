package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.FakeClock;
import dev.backchannel.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Time and randomness that decide behaviour come from seams a test can pin. */
class SeamsTest {
  @Test
  void anAuthCacheEntryLivesSixtySecondsOfTheInjectedTicker() throws Exception {
    FakeClock clock = new FakeClock();
    try (TestServer server = TestServer.start(Map.of(), clock)) {
      ApiClient api = server.client();
      String key = api.mintKey("cached");
      assertThat(api.get("/v1/keys/me").key(key).send().status()).isEqualTo(200);
      // Behind the server's back: no commit event tells the cache.
      try (Connection db = DriverManager.getConnection(server.jdbcUrl());
          PreparedStatement deactivate = db.prepareStatement("UPDATE api_keys SET active = 0 WHERE key_id = ?")) {
        deactivate.setString(1, key.substring(0, key.indexOf('.')));
        assertThat(deactivate.executeUpdate()).isEqualTo(1);
      }
      clock.advance(Duration.ofSeconds(59));
      assertThat(api.get("/v1/keys/me").key(key).send().status()).as("still cached").isEqualTo(200);
      clock.advance(Duration.ofSeconds(2));
      assertThat(api.get("/v1/keys/me").key(key).send().status()).as("read again after 60 s").isEqualTo(401);
    }
  }

  @Test
  void leaseTokensComeFromTheInjectedSource() {
    AtomicInteger n = new AtomicInteger();
    try (TestServer server = TestServer.start(Map.of(), new FakeClock(), () -> "lease-" + n.incrementAndGet())) {
      ApiClient api = server.client();
      String key = api.mintKey("leases");
      String q = api.post("/v1/channels", json("name", "q", "mode", "claimable")).key(key).send().text("id");
      String first = api.post("/v1/channels/" + q + "/messages", json("content", "a")).key(key).send().json()
          .path("message").path("id").asText();
      api.post("/v1/channels/" + q + "/messages", json("content", "b")).key(key).send();
      assertThat(api.post("/v1/messages/" + first + "/claim-with-lease", json("lease_seconds", 30)).key(key).send()
          .text("lease_token")).isEqualTo("lease-1");
      assertThat(api.post("/v1/channels/" + q + "/claim-next", json("lease_seconds", 30)).key(key).send()
          .text("lease_token")).isEqualTo("lease-2");
    }
  }
}
