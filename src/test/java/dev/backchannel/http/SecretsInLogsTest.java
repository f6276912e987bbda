package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.WebhookReceiver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A scripted session that handles every kind of secret (API keys, the admin token, webhook
 * secrets and token-bearing webhook URLs, lease tokens, invitation ids), right and wrong, with
 * every log record of every logger captured at the finest level: none of them appears in a log
 * record or in an error response.
 */
@Timeout(60)
class SecretsInLogsTest {
  private static final String ADMIN_TOKEN = "admin-token-4f1d9a2c7e";
  private static final String CHANNEL_SECRET = "channel-hook-secret-91b3";
  private static final String ACTOR_SECRET = "actor-hook-secret-77aa";
  private static final String URL_TOKEN = "url-token-c0ffee42";

  private final List<String> secrets = new ArrayList<>(List.of(ADMIN_TOKEN, CHANNEL_SECRET, ACTOR_SECRET, URL_TOKEN));
  private final List<Response> errors = new ArrayList<>();

  @Test
  void noSecretReachesTheLogsOrAnErrorResponse() {
    Capture capture = Capture.start();
    try (WebhookReceiver receiver = WebhookReceiver.start().answer(500);
        TestServer server = TestServer.start(Map.of("admin_token", ADMIN_TOKEN, "sandbox_enabled", "true",
            "webhook_allowed_networks", "127.0.0.1/32"))) {
      script(server.client(), receiver);
      receiver.next(Duration.ofSeconds(10));
      server.clock().advance(Duration.ofMinutes(10));
      server.deliverWebhooksNow();
      receiver.next(Duration.ofSeconds(10));
    } finally {
      capture.stop();
    }

    String logs = capture.text();
    assertThat(capture.count()).as("records captured").isGreaterThan(0);
    for (String secret : secrets) {
      assertThat(logs).as("the logs").doesNotContain(secret);
      for (Response error : errors) {
        assertThat(error.body()).as("error response %s", error.status()).doesNotContain(secret);
      }
    }
  }

  private void script(ApiClient api, WebhookReceiver receiver) {
    String owner = remember(api.mintKey("secretive"));
    String admitted = remember(api.post("/v1/admin/keys", json("agent_label", "by-admin"))
        .header("X-Admin-Token", ADMIN_TOKEN).send().text("key"));
    expectError(api.post("/v1/admin/keys", json("agent_label", "x")).header("X-Admin-Token", ADMIN_TOKEN + "x").send());
    expectError(api.get("/v1/keys/me").key(owner.substring(0, owner.indexOf('.') + 1) + "wrong-secret").send());
    expectError(api.get("/v1/keys/me").key(owner.replace(".", "")).send());

    String channel = api.post("/v1/channels", json("name", "s", "mode", "claimable", "access", "restricted",
        "webhook_url", receiver.url("/hooks/" + URL_TOKEN), "webhook_secret", CHANNEL_SECRET)).key(owner).send()
        .text("id");
    api.post("/v1/channels", json("name", "t", "mode", "broadcast", "webhook_url",
        "http://10.0.0.9/hooks/" + URL_TOKEN, "webhook_secret", CHANNEL_SECRET)).key(owner).send();
    String actor = api.post("/v1/actors", json("name", "hooked")).key(admitted).send().text("id");
    api.post("/v1/actors/" + actor + "/webhook", json("url", receiver.url("/m/" + URL_TOKEN), "secret", ACTOR_SECRET))
        .key(admitted).send();
    expectError(api.get("/v1/actors/" + actor + "/webhook").key(owner).send());

    String message = api.post("/v1/channels/" + channel + "/messages", json("content", "task")).key(owner).send()
        .json().get("message").get("id").asText();
    String lease = remember(api.post("/v1/messages/" + message + "/claim-with-lease", json()).key(owner).send()
        .text("lease_token"));
    expectError(api.post("/v1/leases/" + lease + "/heartbeat", json()).key(admitted).send());
    expectError(api.post("/v1/leases/" + lease.replace('-', '0') + "/heartbeat", json()).key(owner).send());
    String invitation = remember(api.post("/v1/channels/" + channel + "/invitations", json()).key(owner).send()
        .text("id"));
    expectError(api.delete("/v1/channel-invitations/" + invitation).key(admitted).send());
    expectError(api.get("/v1/channel-invitations/" + invitation).send());
    expectError(api.get("/v1/channels/" + channel).key(admitted).send());
    api.post("/v1/admin/minting", json("enabled", false)).header("X-Admin-Token", ADMIN_TOKEN).send();
    expectError(api.post("/v1/keys", json("agent_label", "closed")).send());
  }

  private String remember(String secret) {
    assertThat(secret).isNotBlank();
    secrets.add(secret);
    if (secret.contains(".")) {
      secrets.add(secret.substring(secret.indexOf('.') + 1));
    }
    return secret;
  }

  private void expectError(Response response) {
    assertThat(response.status()).as(response.toString()).isBetween(400, 499);
    errors.add(response);
  }

  /**
   * Every record of every logger of the server, with parameters and stack traces, while it runs.
   * The test's own HTTP client and webhook receiver (JDK classes) log what they send and receive;
   * they are not the server, so their records are left out.
   */
  private static final class Capture extends Handler {
    private static final List<String> TEST_HARNESS = List.of("com.sun.net.httpserver", "jdk.", "java.net.http");

    private final ConcurrentLinkedQueue<String> records = new ConcurrentLinkedQueue<>();
    private final SimpleFormatter formatter = new SimpleFormatter();
    private Level previous;

    static Capture start() {
      Capture capture = new Capture();
      Logger root = Logger.getLogger("");
      capture.previous = root.getLevel();
      capture.setLevel(Level.ALL);
      root.addHandler(capture);
      root.setLevel(Level.ALL);
      return capture;
    }

    void stop() {
      Logger root = Logger.getLogger("");
      root.removeHandler(this);
      root.setLevel(previous);
    }

    @Override
    public void publish(LogRecord record) {
      String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
      if (TEST_HARNESS.stream().anyMatch(logger::startsWith)) {
        return;
      }
      StringBuilder text = new StringBuilder(formatter.format(record));
      if (record.getParameters() != null) {
        for (Object parameter : record.getParameters()) {
          text.append(' ').append(parameter);
        }
      }
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        text.append(trace);
      }
      records.add(text.toString());
    }

    int count() {
      return records.size();
    }

    String text() {
      return String.join("\n", records);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
