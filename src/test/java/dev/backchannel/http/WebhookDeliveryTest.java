package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.Await;
import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.WebhookReceiver;
import dev.backchannel.testing.WebhookReceiver.Call;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Webhooks end to end (contract §5.14, §10.2 #16/#17): a receiver on 127.0.0.1 (allow-listed
 * for this server) gets signed calls with the message as the API renders it; failures are retried
 * on the backoff schedule of the fake clock until a 2xx, or abandoned after five attempts.
 */
@Timeout(60)
class WebhookDeliveryTest extends ApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(600);
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  WebhookReceiver receiver;
  String owner;

  @Override
  protected Map<String, String> settings() {
    return Map.of("webhook_allowed_networks", "127.0.0.1/32");
  }

  @BeforeAll
  void start() {
    receiver = WebhookReceiver.start();
    owner = api.mintKey("hook-owner");
  }

  @AfterAll
  void stop() {
    receiver.close();
  }

  @Test
  void aNewMessageIsPostedSignedWithTheMessageAsTheApiRendersIt() throws Exception {
    String channel = channel(json("name", "signed", "mode", "broadcast", "webhook_url", receiver.url("/signed"),
        "webhook_secret", "s3cret-hook"));

    Response posted = api.post("/v1/channels/" + channel + "/messages", json("content", "hello hooks")).key(owner)
        .send();
    Call call = receiver.next(WAIT);

    assertThat(call).isNotNull();
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.path()).isEqualTo("/signed");
    assertThat(call.header("Content-Type")).isEqualTo("application/json");
    assertThat(call.header("User-Agent")).isEqualTo("Backchannel-Webhook/1");
    assertThat(call.header("X-Backchannel-Event")).isEqualTo("message.created");
    assertThat(call.header("X-Backchannel-Delivery")).matches(UUID);
    assertThat(call.header("X-Backchannel-Signature")).isEqualTo("sha256=" + hmac("s3cret-hook", call.body()));
    JsonNode body = ApiClient.JSON.readTree(call.body());
    assertThat(body.get("message")).isEqualTo(posted.json().get("message"));
    eventually(() -> "delivered".equals(row(call.header("X-Backchannel-Delivery")).get("status")));
  }

  @Test
  void aFailedCallIsRetriedOnScheduleAndStopsOnceDelivered() {
    receiver.answer(500);
    String channel = channel(json("name", "flaky", "mode", "broadcast", "webhook_url", receiver.url("/flaky")));
    api.post("/v1/channels/" + channel + "/messages", json("content", "try me")).key(owner).send();

    Call first = receiver.next(WAIT);
    assertThat(first.header("X-Backchannel-Signature")).isNull();
    String id = first.header("X-Backchannel-Delivery");
    eventually(() -> Long.valueOf(1).equals(row(id).get("attempts")));
    assertThat(row(id)).containsEntry("status", "pending").containsEntry("last_error", "answered HTTP 500");

    server.clock().advance(Duration.ofSeconds(59));
    server.deliverWebhooksNow();
    assertThat(receiver.next(QUIET)).as("retried before its backoff").isNull();

    server.clock().advance(Duration.ofSeconds(1));
    server.deliverWebhooksNow();
    Call second = receiver.next(WAIT);
    assertThat(second.header("X-Backchannel-Delivery")).isEqualTo(id);
    assertThat(second.body()).isEqualTo(first.body());
    eventually(() -> "delivered".equals(row(id).get("status")));
    assertThat(row(id)).containsEntry("attempts", 2L);

    server.clock().advance(Duration.ofHours(1));
    server.deliverWebhooksNow();
    assertThat(receiver.next(QUIET)).as("called again after a 2xx").isNull();
  }

  @Test
  void aReceiverThatKeepsFailingIsAbandonedAfterFiveAttempts() {
    receiver.answer(500, 502, 503, 404, 500);
    String channel = channel(json("name", "broken", "mode", "broadcast", "webhook_url", receiver.url("/broken")));
    api.post("/v1/channels/" + channel + "/messages", json("content", "nobody home")).key(owner).send();

    String id = null;
    for (int attempt = 1; attempt <= 5; attempt++) {
      Call call = receiver.next(WAIT);
      assertThat(call).as("attempt " + attempt).isNotNull();
      id = call.header("X-Backchannel-Delivery");
      long expected = attempt;
      String delivery = id;
      eventually(() -> Long.valueOf(expected).equals(row(delivery).get("attempts")));
      server.clock().advance(Duration.ofMinutes(5));
      server.deliverWebhooksNow();
    }

    assertThat(row(id)).containsEntry("status", "abandoned").containsEntry("last_error", "answered HTTP 500");
    assertThat(receiver.next(QUIET)).as("a sixth attempt").isNull();
  }

  @Test
  void approvingAnAccessRequestQueuesMemberAddedButAManualAddDoesNot() throws Exception {
    String channel = channel(json("name", "lobby", "mode", "broadcast", "access", "restricted", "discoverable", true,
        "webhook_url", receiver.url("/lobby")));
    String guestKey = api.mintKey("hook-guest");
    String guestId = api.get("/v1/keys/me").key(guestKey).send().text("key_id");
    String ownerId = api.get("/v1/keys/me").key(owner).send().text("key_id");
    api.post("/v1/channels/" + channel + "/members", json("key_id", "bck_manual000000")).key(owner).send();

    String request = api.post("/v1/channels/" + channel + "/access-requests", json("reason", "hi")).key(guestKey).send()
        .text("request_id");
    api.post("/v1/channels/" + channel + "/access-requests/" + request + "/approve").key(owner).send();
    Call call = receiver.next(WAIT);

    assertThat(call.header("X-Backchannel-Event")).isEqualTo("member_added");
    JsonNode body = ApiClient.JSON.readTree(call.body());
    assertThat(body.get("channel_id").asText()).isEqualTo(channel);
    assertThat(body.get("member_key_id").asText()).isEqualTo(guestId);
    assertThat(body.get("approved_by").asText()).isEqualTo(ownerId);
    assertThat(receiver.next(QUIET)).isNull();
  }

  @Test
  void aMentionedActorsWebhookGetsAtMostOneCallPerMinutePerChannel() throws Exception {
    String channel = channel(json("name", "mentions", "mode", "broadcast"));
    String reviewerKey = api.mintKey("hook-reviewer");
    String actor = api.post("/v1/actors", json("name", "reviewer")).key(reviewerKey).send().text("id");
    api.post("/v1/actors/" + actor + "/webhook", json("url", receiver.url("/mention"), "secret", "m3ntion"))
        .key(reviewerKey).send();

    Response first = mention(channel, actor, "please review");
    Call call = receiver.next(WAIT);
    assertThat(call.path()).isEqualTo("/mention");
    assertThat(call.header("X-Backchannel-Event")).isEqualTo("mention");
    assertThat(call.header("X-Backchannel-Signature")).isEqualTo("sha256=" + hmac("m3ntion", call.body()));
    JsonNode body = ApiClient.JSON.readTree(call.body());
    assertThat(body.get("mentioned_actor_id").asText()).isEqualTo(actor);
    assertThat(body.get("message")).isEqualTo(first.json().get("message"));

    Response second = mention(channel, actor, "again, please");
    assertThat(second.json().get("message").get("mentions").get(0).get("id").asText()).isEqualTo(actor);
    assertThat(mentionRows(channel)).isEqualTo(1);

    server.clock().advance(Duration.ofSeconds(61));
    mention(channel, actor, "a minute later");
    assertThat(receiver.next(WAIT).header("X-Backchannel-Event")).isEqualTo("mention");
    assertThat(mentionRows(channel)).isEqualTo(2);
  }

  @Test
  void finishedDeliveriesArePurgedAfterSevenDays() {
    String channel = channel(json("name", "purged", "mode", "broadcast", "webhook_url", receiver.url("/purged")));
    api.post("/v1/channels/" + channel + "/messages", json("content", "short-lived")).key(owner).send();
    String id = receiver.next(WAIT).header("X-Backchannel-Delivery");
    eventually(() -> "delivered".equals(row(id).get("status")));

    server.clock().advance(Duration.ofDays(6));
    server.sweepNow();
    assertThat(row(id)).isNotEmpty();
    server.clock().advance(Duration.ofDays(2));
    server.sweepNow();

    assertThat(row(id)).isEmpty();
  }

  @Test
  void theGuardRefusesInternalTargetsThatAreNotAllowListed() {
    try (TestServer strict = TestServer.start()) {
      ApiClient client = strict.client();
      String key = client.mintKey("strict");
      List<String> targets = List.of(receiver.url("/loopback"), "http://10.0.0.1/hook",
          "http://169.254.169.254/latest/meta-data/", "http://[::1]:" + receiver.port() + "/hook");
      for (String target : targets) {
        String channel = client.post("/v1/channels", json("name", "ssrf", "mode", "broadcast", "webhook_url", target))
            .key(key).send().text("id");
        client.post("/v1/channels/" + channel + "/messages", json("content", "probe")).key(key).send();
      }

      eventually(() -> errors(strict).size() == 4 && errors(strict).stream().allMatch(e -> e != null));
      assertThat(errors(strict)).containsExactlyInAnyOrder("refused: loopback address", "refused: private address",
          "refused: cloud metadata address", "refused: loopback address");
      assertThat(client.get("/metrics").send().body())
          .contains("backchannel_webhook_deliveries_total{outcome=\"refused\"} 4.0");
      assertThat(receiver.drain()).isEmpty();
    }
  }

  private String channel(Object body) {
    Response created = api.post("/v1/channels", body).key(owner).send();
    assertThat(created.status()).isEqualTo(201);
    return created.text("id");
  }

  private Response mention(String channel, String actor, String content) {
    Response posted = api.post("/v1/channels/" + channel + "/messages", json("content", content, "mentions",
        List.of(actor))).key(owner).send();
    assertThat(posted.status()).isEqualTo(201);
    return posted;
  }

  private long mentionRows(String channel) {
    return (long) query(server, "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE channel_id = ? AND event_type = ?",
        channel, "mention").get(0).get("n");
  }

  private Map<String, Object> row(String id) {
    List<Map<String, Object>> rows = query(server,
        "SELECT status, attempts, last_error FROM webhook_deliveries WHERE id = ?", id);
    return rows.isEmpty() ? Map.of() : rows.get(0);
  }

  private List<String> errors(TestServer target) {
    List<String> out = new ArrayList<>();
    query(target, "SELECT last_error FROM webhook_deliveries").forEach(r -> out.add((String) r.get("last_error")));
    return out;
  }

  private List<Map<String, Object>> query(TestServer target, String sql, Object... params) {
    try (Connection connection = DriverManager.getConnection(target.jdbcUrl());
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
            Object value = rs.getObject(c);
            row.put(rs.getMetaData().getColumnLabel(c), value instanceof Integer i ? (Object) i.longValue() : value);
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private String hmac(String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  /** Waits (bounded) for something the delivery worker does on its own time. */
  private void eventually(Supplier<Boolean> condition) {
    Await.until("the delivery worker", WAIT, condition::get);
  }
}
