package dev.backchannel.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.store.MemorySequencer;
import dev.backchannel.store.jdbc.JdbcWriter;
import dev.backchannel.testing.PostgresCluster;
import dev.backchannel.time.Timestamps;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Commit-ordered seq across writers on separate connections, as nodes have: a cursor reader
 * racing them never skips a row that committed late.
 */
class PostgresCountersTest {
  private static final String CHANNEL = "ch-order";
  private static final String INSERT = """
      INSERT INTO messages (seq, id, channel_id, content, created_at, expires_at)
      VALUES (?, ?, ?, 'x', ?, ?)""";

  private final PostgresCluster cluster = PostgresCluster.shared();
  private String url;

  @BeforeEach
  void database() throws SQLException {
    url = cluster.createDatabase();
    try (Connection connection = DriverManager.getConnection(url)) {
      PostgresSchema.migrate(connection);
      connection.createStatement().execute("""
          INSERT INTO channels (id, owner_id, created_by_key_id, name, mode, ttl_seconds, retention_days,
            created_at, updated_at) VALUES ('%s', 'o', 'k', 'order', 'broadcast', 60, 1, 0, 0)""".formatted(CHANNEL));
    }
  }

  @Test
  void aSecondWriterWaitsForTheFirstToCommitAndContinuesItsNumbers() throws Exception {
    try (Connection first = writer(); Connection second = writer()) {
      MemorySequencer firstSeq = locked(first);
      long taken = insert(first, firstSeq);
      CompletableFuture<Long> secondTakes = CompletableFuture.supplyAsync(() -> {
        try {
          MemorySequencer secondSeq = locked(second);
          long seq = insert(second, secondSeq);
          save(second, secondSeq);
          second.commit();
          return seq;
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      try {
        secondTakes.get(500, TimeUnit.MILLISECONDS);
        throw new AssertionError("the second writer allocated while the first held the counters");
      } catch (TimeoutException expected) {
        // it is waiting on the row lock, as it must
      }
      save(first, firstSeq);
      first.commit();
      assertThat(secondTakes.get(10, TimeUnit.SECONDS)).isEqualTo(taken + 1);
    }
  }

  @Test
  void aRolledBackTransactionLeavesTheCountersWhereTheyWere() throws Exception {
    try (Connection writer = writer()) {
      MemorySequencer sequencer = locked(writer);
      insert(writer, sequencer);
      insert(writer, sequencer);
      writer.rollback();
      MemorySequencer next = locked(writer);
      assertThat(next.lastSeq()).isZero();
      assertThat(insert(writer, next)).isEqualTo(1);
      save(writer, next);
      writer.commit();
    }
  }

  @Test
  void aCursorReaderRacingFourWritersSeesEveryRowOnceInOrder() throws Exception {
    int writers = 4;
    int transactionsEach = 40;
    AtomicBoolean writing = new AtomicBoolean(true);
    CompletableFuture<List<Long>> reader = CompletableFuture.supplyAsync(() -> readAll(writing));
    List<CompletableFuture<Void>> nodes = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      nodes.add(CompletableFuture.runAsync(() -> write(transactionsEach)));
    }
    try {
      CompletableFuture.allOf(nodes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    } finally {
      writing.set(false);
    }
    List<Long> seen = reader.get(60, TimeUnit.SECONDS);

    List<Long> committed = new ArrayList<>();
    List<Long> createdAt = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url);
        ResultSet rs = connection.createStatement().executeQuery("SELECT seq, created_at FROM messages ORDER BY seq")) {
      while (rs.next()) {
        committed.add(rs.getLong(1));
        createdAt.add(rs.getLong(2));
      }
    }
    assertThat(committed).hasSizeGreaterThanOrEqualTo(writers * transactionsEach);
    assertThat(seen).isEqualTo(committed);
    assertThat(committed.get(committed.size() - 1)).isEqualTo(committed.size());
    assertThat(createdAt).isSorted().doesNotHaveDuplicates();
  }

  private void write(int transactions) {
    try (Connection connection = writer()) {
      for (int t = 0; t < transactions; t++) {
        MemorySequencer sequencer = locked(connection);
        int rows = 1 + ThreadLocalRandom.current().nextInt(3);
        for (int r = 0; r < rows; r++) {
          insert(connection, sequencer);
        }
        // A transaction that stays open a little after allocating is the one a cursor would skip
        // if numbers were handed out before commit order was fixed.
        Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        save(connection, sequencer);
        connection.commit();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls {@code seq > cursor} as a client's ?since= loop does, until the writers are done. */
  private List<Long> readAll(AtomicBoolean writing) {
    List<Long> seen = new ArrayList<>();
    long cursor = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement page = connection.prepareStatement(
            "SELECT seq FROM messages WHERE seq > ? ORDER BY seq LIMIT 50")) {
      boolean lastPass = false;
      while (System.nanoTime() < deadline) {
        boolean done = !writing.get();
        page.setLong(1, cursor);
        int read = 0;
        try (ResultSet rs = page.executeQuery()) {
          while (rs.next()) {
            cursor = rs.getLong(1);
            seen.add(cursor);
            read++;
          }
        }
        if (read == 0 && lastPass) {
          break;
        }
        lastPass = done;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return seen;
  }

  /** Opens a write transaction's turn: the counters locked, a sequencer continuing from them. */
  private static MemorySequencer locked(Connection connection) throws SQLException {
    MemorySequencer sequencer = new MemorySequencer(0, 0);
    PostgresCounters.lock(connection, sequencer);
    return sequencer;
  }

  /** Saves the counters with the writer's own statement. */
  private static void save(Connection connection, MemorySequencer sequencer) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(JdbcWriter.SAVE_COUNTER)) {
      statement.setLong(1, sequencer.lastSeq());
      statement.setString(2, "last_seq");
      statement.executeUpdate();
      statement.setLong(1, sequencer.lastCreatedAt());
      statement.setString(2, "last_created_at");
      statement.executeUpdate();
    }
  }

  private Connection writer() throws SQLException {
    Connection connection = DriverManager.getConnection(url);
    connection.setAutoCommit(false);
    return connection;
  }

  private static long insert(Connection connection, MemorySequencer sequencer) throws SQLException {
    long seq = sequencer.nextSeq();
    Instant createdAt = sequencer.nextCreatedAt(Instant.now());
    try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
      statement.setLong(1, seq);
      statement.setString(2, UUID.randomUUID().toString());
      statement.setString(3, CHANNEL);
      statement.setLong(4, Timestamps.micros(createdAt));
      statement.setLong(5, Timestamps.micros(createdAt) + 60_000_000L);
      statement.executeUpdate();
    }
    return seq;
  }
}
