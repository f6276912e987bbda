package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Contract §5.1 and extensions §1: a reader paging with {@code next_cursor} while writers post
 * concurrently sees every message exactly once, in commit order. Two readers run at once: one
 * passes the {@code created_at} cursor back as {@code since} (as the SDKs do), one the last
 * {@code seq} as {@code cursor}.
 */
class CursorPagingTest extends ApiTest {
  private static final int WRITERS = 4;
  private static final int PER_WRITER = 500;
  private static final int PAGE = 100;
  private static final long DEADLINE_MILLIS = 90_000;

  @Test
  @Timeout(120)
  void readersSeeEveryMessageOnceInCommitOrderWhileWritersPost() throws Exception {
    String key = newKey();
    String channel = broadcastChannel(key);
    String path = "/v1/channels/" + channel + "/messages?limit=" + PAGE + "&";
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
    try {
      List<Future<List<String>>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> write(key, channel, writer)));
      }
      Future<List<JsonNode>> byTime = pool.submit(() -> read(key, path + "since=", "0",
          page -> page.text("next_cursor"), writing));
      Future<List<JsonNode>> bySeq = pool.submit(() -> read(key, path + "cursor=", "0",
          page -> lastSeq(page), writing));

      Set<String> posted = new HashSet<>();
      for (Future<List<String>> writer : writers) {
        posted.addAll(writer.get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS));
      }
      writing.set(false);
      assertThat(posted).hasSize(WRITERS * PER_WRITER);
      for (Future<List<JsonNode>> reader : List.of(byTime, bySeq)) {
        List<JsonNode> seen = reader.get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        assertSeenOnceInCommitOrder(seen, posted);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private List<String> write(String key, String channel, int writer) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < PER_WRITER; i++) {
      Response posted = api.post("/v1/channels/" + channel + "/messages", json("content", "w" + writer + "-" + i))
          .key(key).send();
      assertThat(posted.status()).as(posted.toString()).isEqualTo(201);
      ids.add(posted.json().get("message").get("id").asText());
    }
    return ids;
  }

  /** Pages until it has everything the writers posted and they have stopped, or the deadline passes. */
  private List<JsonNode> read(String key, String query, String start, Function<Response, String> next,
      AtomicBoolean writing) throws InterruptedException {
    List<JsonNode> seen = new ArrayList<>();
    String cursor = start;
    long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      boolean wasWriting = writing.get();
      Response page = api.get(query + encode(cursor)).key(key).send();
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      JsonNode data = page.json().get("data");
      data.forEach(seen::add);
      cursor = next.apply(page);
      if (data.isEmpty() && !wasWriting) {
        return seen;
      }
      if (data.size() < PAGE) {
        Thread.sleep(20); // caught up with the writers: give them the CPU
      }
    }
    return seen;
  }

  private static String lastSeq(Response page) {
    JsonNode data = page.json().get("data");
    return data.isEmpty() ? page.text("next_cursor") : data.get(data.size() - 1).get("seq").asText();
  }

  private static void assertSeenOnceInCommitOrder(List<JsonNode> seen, Set<String> posted) {
    List<String> ids = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    List<String> createdAt = new ArrayList<>();
    for (JsonNode message : seen) {
      ids.add(message.get("id").asText());
      seqs.add(message.get("seq").asLong());
      createdAt.add(message.get("created_at").asText());
    }
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(new HashSet<>(ids)).isEqualTo(posted);
    List<Long> sortedSeqs = new ArrayList<>(seqs);
    Collections.sort(sortedSeqs);
    assertThat(seqs).isEqualTo(sortedSeqs);
    for (int i = 1; i < createdAt.size(); i++) {
      assertThat(createdAt.get(i).compareTo(createdAt.get(i - 1))).as("created_at in commit order").isPositive();
    }
  }
}
