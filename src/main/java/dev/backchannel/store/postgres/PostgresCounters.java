package dev.backchannel.store.postgres;

import dev.backchannel.store.MemorySequencer;
import dev.backchannel.store.jdbc.JdbcWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Commit-ordered {@code seq} and {@code created_at} across every node writing to one database.
 *
 * <p>A write transaction's first statement locks the {@code counters} rows ({@code FOR UPDATE}),
 * and the lock is held until COMMIT. While one transaction holds it, no other can allocate, so
 * allocation order is commit order: when a reader sees {@code seq = n} committed, every smaller
 * seq that will ever exist is already committed, and a cursor never skips a row that commits
 * late. The price is that write transactions from all nodes take turns, as the single writer's
 * batches do on SQLite; each one is a group commit of many requests, which keeps the turn cheap.
 * The alternative, a sequence plus a published visibility horizon, lets writers overlap but makes
 * every reader wait on the slowest open transaction and adds a table every read must consult.
 */
public final class PostgresCounters {
  private static final String LOCK =
      "SELECT name, value FROM counters WHERE name IN ('last_seq', 'last_created_at') ORDER BY name FOR UPDATE";

  private PostgresCounters() {}

  /**
   * Locks the counters for the rest of the connection's transaction (auto-commit must be off) and
   * moves the sequencer on to what the last committed transaction, on any node, allocated. In
   * READ COMMITTED a transaction that waited for the lock reads the values its predecessor
   * committed. The writer saves the counters before COMMIT ({@link JdbcWriter#SAVE_COUNTER}).
   */
  public static void lock(Connection connection, MemorySequencer sequencer) throws SQLException {
    if (connection.getAutoCommit()) {
      throw new IllegalStateException("the counters lock lasts a transaction; turn auto-commit off");
    }
    long lastSeq = 0;
    long lastCreatedAt = 0;
    try (PreparedStatement statement = connection.prepareStatement(LOCK);
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        if ("last_seq".equals(rs.getString(1))) {
          lastSeq = rs.getLong(2);
        } else {
          lastCreatedAt = rs.getLong(2);
        }
      }
    }
    sequencer.continueFrom(lastSeq, lastCreatedAt);
  }
}
