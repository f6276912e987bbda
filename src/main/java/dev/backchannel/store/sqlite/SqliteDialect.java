package dev.backchannel.store.sqlite;

import dev.backchannel.store.MemorySequencer;
import dev.backchannel.store.jdbc.Dialect;
import dev.backchannel.store.jdbc.JdbcTx;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** SQLite: transactions as SQL text in auto-commit mode, JSON through its json1 functions. */
final class SqliteDialect implements Dialect {
  static final SqliteDialect INSTANCE = new SqliteDialect();
  private static final Logger LOG = Logger.getLogger(SqliteDialect.class.getName());

  private SqliteDialect() {}

  @Override
  public void openWriter(Connection connection) throws SQLException {
    connection.setAutoCommit(true);
  }

  /** {@code IMMEDIATE} takes the write lock at once, so a busy database fails here, before any work runs. */
  @Override
  public void begin(JdbcTx tx, MemorySequencer sequencer) throws SQLException {
    tx.execute("BEGIN IMMEDIATE");
  }

  @Override
  public void commit(JdbcTx tx) throws SQLException {
    tx.execute("COMMIT");
  }

  @Override
  public void rollback(JdbcTx tx) throws SQLException {
    tx.execute("ROLLBACK");
  }

  /** Folds the WAL into the database file, so a clean stop leaves one file. */
  @Override
  public void closeWriter(JdbcTx tx) {
    try {
      tx.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "final checkpoint failed: " + e.getMessage());
    }
  }

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  public boolean isStorageFault(SQLException e) {
    int primary = e.getErrorCode() & 0xff;
    // SQLITE_BUSY, LOCKED, NOMEM, READONLY, IOERR, CORRUPT, FULL, CANTOPEN
    return primary == 5 || primary == 6 || primary == 7 || primary == 8 || primary == 10
        || primary == 11 || primary == 13 || primary == 14;
  }

  /** SQLite stores any text, NUL included. */
  @Override
  public boolean isUnstorableText(SQLException e) {
    return false;
  }

  @Override
  public String jsonArrayAgg(String element) {
    return "json_group_array(" + element + ")";
  }

  @Override
  public String jsonArray(String elements) {
    return "json_array(" + elements + ")";
  }

  @Override
  public String jsonObject(String pairs) {
    return "json_object(" + pairs + ")";
  }

  @Override
  public String json(String textColumn) {
    return "json(" + textColumn + ")";
  }

  @Override
  public String appendJsonParameter(String column) {
    return "json_insert(" + column + ", '$[#]', json(?))";
  }

  @Override
  public String metadataEquals() {
    return " AND json_extract(metadata, ?) IS ?";
  }

  @Override
  public Object metadataPath(String key) {
    return "$.\"" + key.replace("\"", "\\\"") + "\"";
  }

  /** json_extract answers true and false as 1 and 0. */
  @Override
  public Object metadataValue(Object value) {
    return value instanceof Boolean flag ? (flag ? 1 : 0) : value;
  }

  @Override
  public String bytesAsText(String column) {
    return "CAST(" + column + " AS TEXT)";
  }

  @Override
  public String greatest(String a, String b) {
    return "MAX(" + a + ", " + b + ")";
  }
}
