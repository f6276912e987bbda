package dev.backchannel.testing;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.Seams;
import dev.backchannel.message.LeaseTokens;
import dev.backchannel.testing.ApiClient.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The base of the HTTP tests: one real server per test class (started once, on a random port,
 * with a temporary database and a fake clock), and helpers that give every test its own keys
 * and channels so tests never share state they could trip over.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
public abstract class ApiTest {
  private static final AtomicInteger LABELS = new AtomicInteger();

  protected TestServer server;
  protected ApiClient api;

  /** Settings this class's server starts with, on top of the test defaults. */
  protected Map<String, String> settings() {
    return Map.of();
  }

  /** The ticker and lease tokens of this class's server: the fake clock and random tokens unless overridden. */
  protected Seams seams(FakeClock clock) {
    return new Seams(clock, LeaseTokens.RANDOM);
  }

  @BeforeAll
  void startServer() {
    FakeClock clock = new FakeClock();
    server = TestServer.start(settings(), clock, seams(clock));
    api = server.client();
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** A freshly minted key of its own owner. */
  public record Agent(String key, String keyId, String label) {}

  protected Agent newAgent() {
    String label = getClass().getSimpleName() + "-" + LABELS.incrementAndGet();
    Response minted = api.post("/v1/keys", json("agent_label", label)).send();
    assertThat(minted.status()).as(minted.toString()).isEqualTo(201);
    return new Agent(minted.text("key"), minted.text("key_id"), label);
  }

  protected String newKey() {
    return newAgent().key();
  }

  /** Creates a channel (201 asserted); {@code extra} are more body fields as name/value pairs. */
  protected JsonNode createChannel(String key, String mode, Object... extra) {
    ObjectNode body = json("name", "ch-" + LABELS.incrementAndGet(), "mode", mode);
    body.setAll(json(extra));
    Response created = api.post("/v1/channels", body).key(key).send();
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  protected String claimableChannel(String key, Object... extra) {
    return createChannel(key, "claimable", extra).get("id").asText();
  }

  protected String broadcastChannel(String key, Object... extra) {
    return createChannel(key, "broadcast", extra).get("id").asText();
  }

  /** Posts a message (201 asserted) and returns it. */
  protected JsonNode post(String key, String channel, String content) {
    Response posted = api.post("/v1/channels/" + channel + "/messages", json("content", content)).key(key).send();
    assertThat(posted.status()).as(posted.toString()).isEqualTo(201);
    return posted.json().get("message");
  }

  protected String postId(String key, String channel, String content) {
    return post(key, channel, content).get("id").asText();
  }

  /** Asserts an error response: status, wire code, and the envelope every handler error carries. */
  public static void expectError(Response response, int status, String code) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    JsonNode body = response.json();
    assertThat(body.path("error").asText()).as(response.toString()).isEqualTo(code);
    assertThat(body.path("message").isTextual()).as(response.toString()).isTrue();
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
