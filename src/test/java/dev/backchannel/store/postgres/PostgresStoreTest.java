package dev.backchannel.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.ops.Metrics;
import dev.backchannel.store.CommitSinks;
import dev.backchannel.store.Committed;
import dev.backchannel.testing.Await;
import dev.backchannel.testing.FakeClock;
import dev.backchannel.testing.PostgresCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Opening the PostgreSQL store on a real throwaway cluster, from one process and from several. */
class PostgresStoreTest {
  private static final int WRITES_PER_NODE = 300;
  private final PostgresCluster cluster = PostgresCluster.shared();
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private PostgresStore open(String url, CommitSinks sinks) {
    return PostgresStore.open(vertx, new PostgresStore.Options(url, 2, 100, 5_000), new FakeClock(), Metrics.NOOP,
        sinks);
  }

  @Test
  void storesOnOneDatabaseSeeEachOthersCommitsOnceAndInSeqOrder() throws Exception {
    String url = cluster.createDatabase();
    Node a = new Node();
    Node b = new Node();
    PostgresStore first = open(url, a.sinks());
    PostgresStore second = open(url, b.sinks());
    try {
      List<Future<Long>> writes = new ArrayList<>();
      for (int i = 0; i < WRITES_PER_NODE; i++) {
        writes.add(first.write(PostgresStoreTest::emitOne));
        writes.add(second.write(PostgresStoreTest::emitOne));
      }
      Future.all(writes).await(60, TimeUnit.SECONDS);
      List<Long> fromFirst = new ArrayList<>();
      for (int i = 0; i < writes.size(); i += 2) {
        fromFirst.add(writes.get(i).result());
      }

      List<Long> all = LongStream.rangeClosed(1, 2L * WRITES_PER_NODE).boxed().toList();
      Await.until("both nodes handed on every commit", () -> a.live().size() >= all.size() && b.live().size() >= all.size());
      assertThat(a.live()).as("live order on the first node").isEqualTo(all);
      assertThat(b.live()).as("live order on the second node").isEqualTo(all);
      assertThat(b.changes()).as("the second node's caches hear of the first node's commits").containsAll(fromFirst);
      assertThat(a.changes()).as("and of their own").containsAll(fromFirst);

      long before = second.commits();
      long last = first.write(PostgresStoreTest::emitOne).await(10, TimeUnit.SECONDS);
      Await.until("the second node reads the first node's last commit", () -> b.live().contains(last));
      assertThat(second.commits()).as("the page cache counts the other node's commits").isGreaterThan(before);
    } finally {
      first.close().await(10, TimeUnit.SECONDS);
      second.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStoreOpenedLaterContinuesTheSequence() throws Exception {
    String url = cluster.createDatabase();
    PostgresStore first = open(url, CommitSinks.NONE);
    try {
      assertThat(first.write(tx -> tx.nextSeq()).await(10, TimeUnit.SECONDS)).isEqualTo(1L);
    } finally {
      first.close().await(10, TimeUnit.SECONDS);
    }
    PostgresStore second = open(url, CommitSinks.NONE);
    try {
      assertThat(second.write(tx -> tx.nextSeq()).await(10, TimeUnit.SECONDS)).isEqualTo(2L);
    } finally {
      second.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static long emitOne(dev.backchannel.store.Tx tx) {
    long seq = tx.nextSeq();
    tx.emit(new Committed(Committed.Kind.DIRECTORY_CHANGED, "c", seq, null));
    return seq;
  }

  /** What one node's sinks received, seq by seq. */
  private record Node(List<Long> changes, List<Long> live) {
    Node() {
      this(Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
    }

    CommitSinks sinks() {
      return new CommitSinks(batch -> batch.forEach(e -> changes.add(e.seq())),
          batch -> batch.forEach(e -> live.add(e.seq())));
    }
  }
}
