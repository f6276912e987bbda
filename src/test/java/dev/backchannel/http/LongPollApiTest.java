package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.TestServer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Long-poll (contract §5.8, extensions §3): woken by a commit, empty at the deadline, bounded. */
@Timeout(60)
class LongPollApiTest {
  static TestServer server;
  static ApiClient api;
  static String key;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("longpoll_max_waiters", "2"));
    api = server.client();
    key = api.mintKey("poller");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String channel() {
    return api.post("/v1/channels", json("name", "lp-" + System.nanoTime(), "mode", "broadcast")).key(key).send()
        .text("id");
  }

  @Test
  void aWaitingRequestReturnsWhenAMessageCommits() throws Exception {
    String channel = channel();
    CompletableFuture<ApiClient.Response> waiting = CompletableFuture.supplyAsync(
        () -> api.get("/v1/channels/" + channel + "/messages?since=0&wait=20").key(key).send());
    Thread.sleep(300);
    assertThat(waiting).isNotDone();
    api.post("/v1/channels/" + channel + "/messages", json("content", "wake up")).key(key).send();
    ApiClient.Response response = waiting.get(5, TimeUnit.SECONDS);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("data").get(0).get("content").asText()).isEqualTo("wake up");
  }

  @Test
  void aWaitReturnsAnEmptyPageWithTheCursorEchoedAtTheDeadline() {
    String channel = channel();
    long started = System.nanoTime();
    ApiClient.Response response = api.get("/v1/channels/" + channel + "/messages?since=0&wait=1.5").key(key).send();
    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1_400));
    assertThat(response.json().get("data")).isEmpty();
    assertThat(response.text("next_cursor")).isEqualTo("0");
  }

  @Test
  void aMessageThatDoesNotMatchTheFilterKeepsTheRequestWaiting() throws Exception {
    String channel = channel();
    CompletableFuture<ApiClient.Response> waiting = CompletableFuture.supplyAsync(() -> api
        .get("/v1/channels/" + channel + "/messages?since=0&status=claimed&wait=2").key(key).send());
    Thread.sleep(300);
    api.post("/v1/channels/" + channel + "/messages", json("content", "unclaimed")).key(key).send();
    ApiClient.Response response = waiting.get(10, TimeUnit.SECONDS);
    assertThat(response.json().get("data")).isEmpty();
  }

  @Test
  void pastTheWaiterBoundALongPollAnswersAtOnce() throws Exception {
    String channel = channel();
    CompletableFuture<?> first = CompletableFuture.runAsync(
        () -> api.get("/v1/channels/" + channel + "/messages?since=0&wait=3").key(key).send());
    CompletableFuture<?> second = CompletableFuture.runAsync(
        () -> api.get("/v1/channels/" + channel + "/messages?since=0&wait=3").key(key).send());
    Thread.sleep(500);
    long started = System.nanoTime();
    ApiClient.Response third = api.get("/v1/channels/" + channel + "/messages?since=0&wait=3").key(key).send();
    assertThat(third.status()).isEqualTo(200);
    assertThat(System.nanoTime() - started).isLessThan(TimeUnit.MILLISECONDS.toNanos(2_500));
    CompletableFuture.allOf(first, second).get(10, TimeUnit.SECONDS);
  }

  @Test
  void theSubscribeVerbLongPollsToo() throws Exception {
    String channel = channel();
    CompletableFuture<ApiClient.Response> waiting = CompletableFuture.supplyAsync(() -> api
        .post("/v1/tasks/subscribe", json("channel", channel, "since", "0", "wait", 20)).key(key).send());
    Thread.sleep(300);
    api.post("/v1/channels/" + channel + "/messages", json("content", "verb")).key(key).send();
    assertThat(waiting.get(5, TimeUnit.SECONDS).json().get("data").get(0).get("content").asText()).isEqualTo("verb");
  }
}
