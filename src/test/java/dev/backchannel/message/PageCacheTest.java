package dev.backchannel.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PageCacheTest {
  private static final Instant T0 = Instant.parse("2026-04-06T14:00:00Z");

  private final AtomicLong commits = new AtomicLong();
  private final AtomicInteger reads = new AtomicInteger();
  private final PageCache cache = new PageCache(commits::get);

  @Test
  void theSamePageIsReusedUntilSomethingCommits() {
    List<Message> first = page(T0, 1);

    assertThat(page(T0.plusSeconds(1), 1)).isSameAs(first);
    assertThat(reads).hasValue(1);

    commits.incrementAndGet();
    page(T0.plusSeconds(2), 1);
    assertThat(reads).hasValue(2);
  }

  @Test
  void aPageIsReadAgainOnceOneOfItsMessagesHasExpired() {
    page(T0, 1);
    page(T0.plusSeconds(3599), 1);
    assertThat(reads).hasValue(1);

    page(T0.plusSeconds(3600), 1);
    assertThat(reads).hasValue(2);
  }

  @Test
  void differentQueriesAreDifferentPages() {
    page(T0, 1);
    page(T0, 2);
    assertThat(reads).hasValue(2);
  }

  @Test
  void aReadThatACommitOvertookIsNotReused() {
    MessageQuery query = query(T0, 1);
    cache.get(query, () -> {
      reads.incrementAndGet();
      commits.incrementAndGet(); // commits while the read runs: it may have seen either side
      return Future.succeededFuture(List.of(message(1)));
    });
    page(T0, 1);
    assertThat(reads).hasValue(2);
  }

  @Test
  void pollersAskingWhileTheReadRunsShareIt() {
    Promise<List<Message>> running = Promise.promise();
    Future<List<Message>> first = cache.get(query(T0, 1), () -> {
      reads.incrementAndGet();
      return running.future();
    });
    Future<List<Message>> second = cache.get(query(T0, 1), () -> {
      reads.incrementAndGet();
      return Future.succeededFuture(List.of());
    });
    running.complete(List.of(message(1)));
    assertThat(reads).hasValue(1);
    assertThat(second.result()).isSameAs(first.result());
  }

  private List<Message> page(Instant now, int limit) {
    return cache.get(query(now, limit), () -> {
      reads.incrementAndGet();
      return Future.succeededFuture(List.of(message(1), message(2)));
    }).result();
  }

  private static MessageQuery query(Instant now, int limit) {
    return new MessageQuery("c", Cursor.parse("0"), limit, null, null, 0, now);
  }

  private static Message message(long seq) {
    return new Message(seq, "m" + seq, "c", null, null, "content " + seq, "{}", "[]", T0, T0.plusSeconds(3600),
        null, null, null, null, null, 0, "[]", QueueState.fresh(5, null), null, null, 0);
  }
}
