package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.Await;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Long-poll (contract §5.8, extensions §3): woken by a commit, empty at the deadline, bounded. */
class LongPollApiTest extends ApiTest {
  private String key;

  @Override
  protected Map<String, String> settings() {
    return Map.of("longpoll_max_waiters", "2");
  }

  private String channel() {
    key = newKey();
    return broadcastChannel(key);
  }

  private CompletableFuture<ApiClient.Response> waitFor(String path) {
    return CompletableFuture.supplyAsync(() -> api.get(path).key(key).send());
  }

  @Test
  void aWaitingRequestReturnsWhenAMessageCommits() throws Exception {
    String channel = channel();
    CompletableFuture<ApiClient.Response> waiting = waitFor("/v1/channels/" + channel + "/messages?since=0&wait=20");
    Await.longPollWaiters(server, 1);
    assertThat(waiting).isNotDone();
    post(key, channel, "wake up");
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
    CompletableFuture<ApiClient.Response> waiting =
        waitFor("/v1/channels/" + channel + "/messages?since=0&status=claimed&wait=2");
    Await.longPollWaiters(server, 1);
    post(key, channel, "unclaimed");
    ApiClient.Response response = waiting.get(10, TimeUnit.SECONDS);
    assertThat(response.json().get("data")).isEmpty();
  }

  @Test
  void pastTheWaiterBoundALongPollAnswersAtOnce() throws Exception {
    String channel = channel();
    String path = "/v1/channels/" + channel + "/messages?since=0&wait=3";
    CompletableFuture<?> first = waitFor(path);
    CompletableFuture<?> second = waitFor(path);
    Await.longPollWaiters(server, 2);
    long started = System.nanoTime();
    ApiClient.Response third = api.get(path).key(key).send();
    assertThat(third.status()).isEqualTo(200);
    assertThat(System.nanoTime() - started).isLessThan(TimeUnit.MILLISECONDS.toNanos(2_500));
    CompletableFuture.allOf(first, second).get(10, TimeUnit.SECONDS);
  }

  @Test
  void theSubscribeVerbLongPollsToo() throws Exception {
    String channel = channel();
    CompletableFuture<ApiClient.Response> waiting = CompletableFuture.supplyAsync(() -> api
        .post("/v1/tasks/subscribe", json("channel", channel, "since", "0", "wait", 20)).key(key).send());
    Await.longPollWaiters(server, 1);
    post(key, channel, "verb");
    assertThat(waiting.get(5, TimeUnit.SECONDS).json().get("data").get(0).get("content").asText()).isEqualTo("verb");
  }
}
