package dev.backchannel.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import dev.backchannel.store.jdbc.JdbcTx;
import dev.backchannel.testing.FakeClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SqliteWriterTest {
  @TempDir
  Path dir;

  private Vertx vertx;
  private SqliteStore store;
  private final List<Committed> published = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    store = SqliteStore.open(vertx, new SqliteStore.Options(dir.resolve("db.sqlite"), "FULL", 5_000, 2, 100),
        new FakeClock(), Metrics.NOOP, published::addAll);
  }

  @AfterEach
  void close() throws Exception {
    store.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private Future<Object> put(String key) {
    return store.write(tx -> {
      ((JdbcTx) tx).update("INSERT INTO settings (key, value) VALUES (?, 'v')", key);
      tx.emit(new Committed(Committed.Kind.CHANNEL_CHANGED, key, tx.nextSeq(), key));
      return key;
    });
  }

  private boolean stored(String key) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("db.sqlite"));
        ResultSet row = db.createStatement().executeQuery("SELECT 1 FROM settings WHERE key = '" + key + "'")) {
      return row.next();
    }
  }

  @Test
  void aWriteIsCommittedAndPublishedWhenItsFutureCompletes() throws Exception {
    assertThat(await(put("a"))).isEqualTo("a");
    assertThat(stored("a")).isTrue();
    assertThat(published).extracting(Committed::channelId).containsExactly("a");
  }

  @Test
  void aFailingUnitOfWorkRollsBackAloneAndPublishesNothing() throws Exception {
    Future<Object> ok = put("kept");
    Future<Object> failing = store.write(tx -> {
      ((JdbcTx) tx).update("INSERT INTO settings (key, value) VALUES ('dropped', 'v')");
      tx.emit(new Committed(Committed.Kind.CHANNEL_CHANGED, "dropped", tx.nextSeq(), null));
      throw ApiError.ALIAS_CONFLICT.exception();
    });
    assertThat(await(ok)).isEqualTo("kept");
    assertThatThrownBy(() -> await(failing)).isInstanceOf(ApiException.class);
    assertThat(stored("kept")).isTrue();
    assertThat(stored("dropped")).isFalse();
    assertThat(published).extracting(Committed::channelId).containsExactly("kept");
  }

  @Test
  void aStackOverflowInOneUnitOfWorkFailsOnlyThatCallerAndTheWriterKeepsGoing() throws Exception {
    Future<Object> overflowing = store.write(tx -> {
      throw new StackOverflowError("deep recursion in domain code");
    });
    assertThatThrownBy(() -> await(overflowing)).isNotNull();
    assertThat(await(put("after"))).isEqualTo("after");
    assertThat(store.singleWriter().orElseThrow().alive()).isTrue();
  }

  @Test
  void writesAfterCloseFailAtOnceWith503() throws Exception {
    await(store.close());
    assertThatThrownBy(() -> await(put("late"))).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(503));
  }
}
