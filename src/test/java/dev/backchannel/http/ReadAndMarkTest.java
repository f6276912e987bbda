package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code GET …/messages?unread_for=<actor>&mark_read=true}: the bridge pattern's inbox. */
class ReadAndMarkTest extends ApiTest {
  private static final int MESSAGES = 60;

  private Response readAndMark(String key, String channel, String actor, int limit) {
    return api.get("/v1/channels/" + channel + "/messages?unread_for=" + actor + "&mark_read=true&limit=" + limit)
        .key(key).send();
  }

  private static List<String> ids(Response page) {
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    page.json().get("data").forEach(m -> ids.add(m.get("id").asText()));
    return ids;
  }

  @Test
  void eachCallReturnsTheNextUnreadPageAndMovesTheReadPosition() {
    String key = newKey();
    String channel = broadcastChannel(key);
    List<String> posted = List.of(postId(key, channel, "a"), postId(key, channel, "b"), postId(key, channel, "c"));

    assertThat(ids(readAndMark(key, channel, "bridge", 2))).containsExactly(posted.get(0), posted.get(1));
    assertThat(ids(readAndMark(key, channel, "bridge", 2))).containsExactly(posted.get(2));
    assertThat(ids(readAndMark(key, channel, "bridge", 2))).isEmpty();
    JsonNode reader = api.get("/v1/channels/" + channel + "/readers").key(key).send().json().get("data").get(0);
    assertThat(reader.get("unread").asInt()).isZero();
    String later = postId(key, channel, "d");
    assertThat(ids(readAndMark(key, channel, "bridge", 2))).containsExactly(later);
    assertThat(ids(api.get("/v1/channels/" + channel + "/messages").key(key).send())).hasSize(4);
  }

  @Test
  void twoConcurrentReadersOfOneActorSeeEveryMessageExactlyOnce() throws Exception {
    String key = newKey();
    String channel = broadcastChannel(key);
    CompletableFuture<List<String>> posting = CompletableFuture.supplyAsync(() -> {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        ids.add(postId(key, channel, "message " + i));
      }
      return ids;
    });
    CompletableFuture<List<String>> first = CompletableFuture.supplyAsync(() -> drain(key, channel, posting));
    CompletableFuture<List<String>> second = CompletableFuture.supplyAsync(() -> drain(key, channel, posting));

    List<String> posted = posting.get(30, TimeUnit.SECONDS);
    List<String> delivered = new ArrayList<>(first.get(30, TimeUnit.SECONDS));
    delivered.addAll(second.get(30, TimeUnit.SECONDS));
    assertThat(delivered).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(posted);
  }

  /** Reads pages until posting is done and a page comes back empty; bounded in calls. */
  private List<String> drain(String key, String channel, CompletableFuture<?> posting) {
    List<String> seen = new ArrayList<>();
    for (int call = 0; call < 10 * MESSAGES; call++) {
      boolean postingDone = posting.isDone();
      List<String> page = ids(readAndMark(key, channel, "bridge", 3));
      seen.addAll(page);
      if (page.isEmpty() && postingDone) {
        return seen;
      }
    }
    throw new AssertionError("the reader never caught up");
  }

  @Test
  void markReadNeedsAReader() {
    String key = newKey();
    String channel = broadcastChannel(key);
    expectError(api.get("/v1/channels/" + channel + "/messages?mark_read=true").key(key).send(), 422,
        "missing_field");
    expectError(api.get("/v1/channels/" + channel + "/messages?unread_for=x&mark_read=maybe").key(key).send(), 422,
        "invalid_field");
  }
}
