package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Work queues (extensions §4): claim-next, priorities, delays, redelivery, dead letters, fencing. */
@Timeout(60)
class QueueApiTest extends ApiTest {
  String key;

  @BeforeAll
  void start() {
    key = api.mintKey("queue-owner");
  }

  String queue(Object... settings) {
    return claimableChannel(key, settings);
  }

  JsonNode enqueue(String channel, Object... fields) {
    Response r = api.post("/v1/channels/" + channel + "/messages", json(fields)).key(key).send();
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("message");
  }

  Response claimNext(String channel, Object... fields) {
    return api.post("/v1/channels/" + channel + "/claim-next", json(fields)).key(key).send();
  }

  @Test
  void claimNextTakesTheHighestPriorityThenTheOldest() {
    String q = queue();
    enqueue(q, "content", "low", "priority", 1);
    enqueue(q, "content", "normal one");
    enqueue(q, "content", "urgent", "priority", 9);
    enqueue(q, "content", "normal two");
    List<String> order = List.of(next(q), next(q), next(q), next(q));
    assertThat(order).containsExactly("urgent", "normal one", "normal two", "low");
    assertThat(claimNext(q).status()).isEqualTo(204);
  }

  @Test
  void aRetriedAckWithNextGetsTheSameNextTask() {
    String q = queue();
    enqueue(q, "content", "one");
    enqueue(q, "content", "two");
    enqueue(q, "content", "three");
    String firstId = claimNext(q, "actor", "worker").json().get("message").get("id").asText();
    ApiClient.Call ack = api.post("/v1/messages/" + firstId + "/ack", json("actor", "worker", "fence", 1,
        "next", Map.of("lease_seconds", 60))).key(key).header("Idempotency-Key", "ack-" + firstId);

    Response answered = ack.send();
    Response retried = ack.send();

    assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
    assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
    assertThat(retried.json().get("next").get("message").get("id"))
        .isEqualTo(answered.json().get("next").get("message").get("id"));
    assertThat(claimNext(q, "actor", "worker").json().get("message").get("content").asText())
        .as("the retry claimed nothing more").isEqualTo("three");
  }

  @Test
  void anAckCanClaimTheNextTaskInTheSameRequest() {
    String q = queue();
    enqueue(q, "content", "one", "metadata", Map.of("kind", "a"));
    enqueue(q, "content", "two", "metadata", Map.of("kind", "b"));
    enqueue(q, "content", "three", "metadata", Map.of("kind", "a"));
    Response first = claimNext(q, "actor", "worker", "match", Map.of("kind", "a"));
    String firstId = first.json().get("message").get("id").asText();

    Response acked = api.post("/v1/messages/" + firstId + "/ack", json("actor", "worker", "fence", 1,
        "next", Map.of("lease_seconds", 60, "match", Map.of("kind", "a")))).key(key).send();
    assertThat(acked.status()).as(acked.toString()).isEqualTo(200);
    assertThat(acked.text("status")).isEqualTo("acknowledged");
    assertThat(acked.json().get("message").get("id").asText()).isEqualTo(firstId);
    JsonNode next = acked.json().get("next");
    assertThat(next.get("message").get("content").asText()).isEqualTo("three");
    assertThat(next.get("lease_token").asText()).isNotBlank();
    assertThat(next.get("fence").asLong()).isEqualTo(1);

    String thirdId = next.get("message").get("id").asText();
    Response last = api.post("/v1/messages/" + thirdId + "/ack", json("actor", "worker",
        "next", Map.of("match", Map.of("kind", "a")))).key(key).send();
    assertThat(last.status()).as(last.toString()).isEqualTo(200);
    assertThat(last.json().get("next").isNull()).as("no task of kind a is left").isTrue();
    assertThat(claimNext(q, "actor", "worker").json().get("message").get("content").asText()).isEqualTo("two");
  }

  @Test
  void anAckWhoseNextClaimFailsChangesNothing() {
    String broadcast = api.post("/v1/channels", json("name", "b-" + System.nanoTime(), "mode", "broadcast"))
        .key(key).send().text("id");
    String id = enqueue(broadcast, "content", "read me").get("id").asText();
    Response refused = api.post("/v1/messages/" + id + "/ack", json("actor", "reader", "next", Map.of()))
        .key(key).send();
    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.text("error")).isEqualTo("channel_not_claimable");
    JsonNode message = api.get("/v1/channels/" + broadcast + "/messages").key(key).send().json().get("data").get(0);
    assertThat(message.get("acknowledged_by")).as(message.toString()).isEmpty();

    Response badNext = api.post("/v1/messages/" + id + "/ack", json("actor", "reader", "next", true))
        .key(key).send();
    assertThat(badNext.status()).isEqualTo(422);
    assertThat(badNext.text("error")).isEqualTo("invalid_object");
  }

  private String next(String q) {
    Response claimed = claimNext(q, "actor", "worker");
    assertThat(claimed.status()).as(claimed.toString()).isEqualTo(200);
    assertThat(claimed.text("lease_token")).isNotBlank();
    assertThat(claimed.json().get("fence").asLong()).isEqualTo(1);
    return claimed.json().get("message").get("content").asText();
  }

  @Test
  void aMetadataSelectorPicksOnlyMatchingWork() {
    String q = queue();
    enqueue(q, "content", "gpu job", "metadata", Map.of("kind", "gpu", "size", 2));
    enqueue(q, "content", "cpu job", "metadata", Map.of("kind", "cpu", "size", 2));
    Response cpu = claimNext(q, "match", Map.of("kind", "cpu", "size", 2));
    assertThat(cpu.json().get("message").get("content").asText()).isEqualTo("cpu job");
    assertThat(claimNext(q, "match", Map.of("kind", "cpu")).status()).isEqualTo(204);
    assertThat(claimNext(q, "match", Map.of("kind", List.of("x"))).error()).isEqualTo("invalid_match");
  }

  @Test
  void aDelayedMessageStaysInvisibleUntilDueThenAppearsAfterNewerMessages() throws Exception {
    String q = queue();
    JsonNode delayed = enqueue(q, "content", "later", "delay_seconds", 60);
    assertThat(delayed.get("deliver_at").isNull()).isFalse();
    JsonNode now = enqueue(q, "content", "now");
    JsonNode page = api.get("/v1/channels/" + q + "/messages?since=0").key(key).send().json();
    assertThat(page.get("data")).extracting(m -> m.get("content").asText()).containsExactly("now");
    assertThat(api.post("/v1/messages/" + delayed.get("id").asText() + "/claim", json()).key(key).send().status())
        .isEqualTo(404);

    server.clock().advance(Duration.ofSeconds(61));
    JsonNode visible = awaitMessages(q, now.get("created_at").asText(), 1);
    assertThat(visible.get(0).get("content").asText()).isEqualTo("later");
    assertThat(visible.get(0).get("seq").asLong()).isGreaterThan(now.get("seq").asLong());
    assertThat(visible.get(0).get("deliver_at").isNull()).isTrue();
  }

  @Test
  void deliveryTimesAreCheckedAgainstTheChannelTtl() {
    String q = queue("ttl_seconds", 300);
    assertThat(api.post("/v1/channels/" + q + "/messages", json("content", "x", "delay_seconds", 300)).key(key).send()
        .error()).isEqualTo("invalid_delay");
    assertThat(api.post("/v1/channels/" + q + "/messages", json("content", "x", "priority", 10)).key(key).send()
        .error()).isEqualTo("invalid_priority");
    assertThat(api.post("/v1/channels/" + q + "/messages",
        json("content", "x", "delay_seconds", 5, "deliver_at", "2030-01-01T00:00:00Z")).key(key).send().error())
        .isEqualTo("invalid_delay");
  }

  @Test
  void aCrashedWorkersTaskComesBackThenLandsInTheDeadLetterChannel() {
    String dlq = queue();
    String q = queue("max_deliveries", 2, "dead_letter_channel", dlq);
    String id = enqueue(q, "content", "poison").get("id").asText();

    assertThat(claimNext(q, "lease_seconds", 30).json().get("message").get("delivery_count").asInt()).isEqualTo(1);
    server.clock().advance(Duration.ofSeconds(31));
    server.releaseLeasesNow();
    JsonNode back = claimNext(q, "lease_seconds", 30).json().get("message");
    assertThat(back.get("id").asText()).isEqualTo(id);
    assertThat(back.get("delivery_count").asInt()).isEqualTo(2);

    server.clock().advance(Duration.ofSeconds(31));
    server.releaseLeasesNow();
    assertThat(claimNext(q).status()).isEqualTo(204);
    JsonNode dead = api.get("/v1/channels/" + dlq + "/messages?since=0").key(key).send().json().get("data").get(0);
    assertThat(dead.get("id").asText()).isEqualTo(id);
    assertThat(dead.get("dead_lettered_from").asText()).isEqualTo(q);
    assertThat(dead.get("delivery_count").asInt()).isEqualTo(2);
    assertThat(dead.get("last_failure").asText()).isEqualTo("lease expired");

    Response redriven = api.post("/v1/channels/" + dlq + "/redrive", json()).key(key).send();
    assertThat(redriven.json().get("redriven").asInt()).isEqualTo(1);
    JsonNode again = claimNext(q).json().get("message");
    assertThat(again.get("id").asText()).isEqualTo(id);
    assertThat(again.get("delivery_count").asInt()).isEqualTo(1);
    assertThat(again.get("dead_lettered_from").isNull()).isTrue();
  }

  /** A "zombie" claims the only task, its lease lapses, and a "fresh" worker claims it again. */
  private record Takeover(Response zombie, long staleFence, long currentFence) {}

  private Takeover takeOver(String q) {
    Response zombie = claimNext(q, "actor", "zombie", "lease_seconds", 30);
    server.clock().advance(Duration.ofSeconds(31));
    server.releaseLeasesNow();
    Response fresh = claimNext(q, "actor", "fresh", "lease_seconds", 30);
    return new Takeover(zombie, zombie.json().get("fence").asLong(), fresh.json().get("fence").asLong());
  }

  @Test
  void aZombieWorkerWithAStaleFenceCannotCompleteTheTask() {
    String q = queue();
    String id = enqueue(q, "content", "once").get("id").asText();
    Takeover takeover = takeOver(q);
    long staleFence = takeover.staleFence();
    long currentFence = takeover.currentFence();
    assertThat(currentFence).isGreaterThan(staleFence);

    Response late = api.post("/v1/messages/" + id + "/ack", json("actor", "zombie", "fence", staleFence)).key(key)
        .send();
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.error()).isEqualTo("stale_claim");
    assertThat(api.post("/v1/leases/" + takeover.zombie().text("lease_token") + "/heartbeat", json()).key(key).send()
        .status())
        .isEqualTo(410);
    assertThat(api.post("/v1/messages/" + id + "/ack", json("actor", "fresh", "fence", currentFence)).key(key).send()
        .status()).isEqualTo(200);
  }

  @Test
  void aResultPostedWithAStaleFenceIsRefused() {
    JsonNode task = api.post("/v1/tasks/post-with-result", json("channel", "fenced-results", "content", "sum"))
        .key(key).send().json();
    String q = task.get("channel").asText();
    String id = task.get("message").get("id").asText();
    Takeover takeover = takeOver(q);
    long staleFence = takeover.staleFence();
    long currentFence = takeover.currentFence();

    Response late = api.post("/v1/tasks/" + id + "/result", json("content", "late", "fence", staleFence)).key(key)
        .send();
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.error()).isEqualTo("stale_claim");
    assertThat(api.get("/v1/tasks/" + id + "/result").key(key).send().status()).isEqualTo(404);
    Response current = api.post("/v1/tasks/" + id + "/result", json("content", "42", "fence", currentFence))
        .key(key).send();
    assertThat(current.status()).as(current.toString()).isEqualTo(201);
    assertThat(api.get("/v1/tasks/" + id + "/result").key(key).send().json().get("result").get("content").asText())
        .isEqualTo("42");
  }

  @Test
  void aNackWithADelayHandsTheTaskBackLaterAndCountsTheDelivery() throws Exception {
    String q = queue();
    String id = enqueue(q, "content", "retry me").get("id").asText();
    Response claimed = claimNext(q, "actor", "w");
    Response nacked = api.post("/v1/messages/" + id + "/nack",
        json("actor", "w", "reason", "upstream down", "delay_seconds", 30, "fence", claimed.json().get("fence")))
        .key(key).send();
    assertThat(nacked.status()).as(nacked.toString()).isEqualTo(200);
    assertThat(nacked.text("status")).isEqualTo("nacked");
    assertThat(claimNext(q).status()).isEqualTo(204);
    server.clock().advance(Duration.ofSeconds(31));
    JsonNode again = awaitClaimNext(q);
    assertThat(again.get("message").get("delivery_count").asInt()).isEqualTo(2);
  }

  @Test
  void maxInFlightCapsUnacknowledgedClaimsPerActor() {
    String q = queue("max_in_flight", 1);
    enqueue(q, "content", "a");
    String second = enqueue(q, "content", "b").get("id").asText();
    Response first = claimNext(q, "actor", "solo");
    assertThat(first.status()).isEqualTo(200);
    Response refused = claimNext(q, "actor", "solo");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.error()).isEqualTo("too_many_in_flight");
    api.post("/v1/messages/" + first.json().get("message").get("id").asText() + "/ack", json("actor", "solo"))
        .key(key).send();
    assertThat(claimNext(q, "actor", "solo").json().get("message").get("id").asText()).isEqualTo(second);
  }

  @Test
  void claimNextWaitsForWorkAndRefusesBroadcastChannels() throws Exception {
    String q = queue();
    CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> claimNext(q, "wait", 20));
    Await.longPollWaiters(server, 1);
    assertThat(waiting).isNotDone();
    enqueue(q, "content", "arrived");
    assertThat(waiting.get(5, TimeUnit.SECONDS).json().get("message").get("content").asText()).isEqualTo("arrived");

    String broadcast = api.post("/v1/channels", json("name", "b", "mode", "broadcast")).key(key).send().text("id");
    assertThat(claimNext(broadcast).error()).isEqualTo("channel_not_claimable");
  }

  /** Delayed releases run on the server's own timer (every 250 ms). */
  private JsonNode awaitMessages(String channel, String cursor, int count) {
    return Await.value("the delayed message to become visible", () -> {
      JsonNode data = api.get("/v1/channels/" + channel + "/messages?cursor=" + cursor.replace("+", "%2B")).key(key)
          .send().json().get("data");
      return data.size() >= count ? data : null;
    });
  }

  private JsonNode awaitClaimNext(String channel) {
    return Await.value("the nacked message to come back", () -> {
      Response next = claimNext(channel);
      return next.status() == 200 ? next.json() : null;
    });
  }
}
