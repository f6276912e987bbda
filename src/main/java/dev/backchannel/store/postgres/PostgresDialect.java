package dev.backchannel.store.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backchannel.store.Committed;
import dev.backchannel.store.MemorySequencer;
import dev.backchannel.store.jdbc.Dialect;
import dev.backchannel.store.jdbc.JdbcTx;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL: the writer's connection in manual-commit mode, every transaction opened by locking
 * the counters (commit-ordered seq across nodes, see {@link PostgresCounters}) and closed by
 * logging what it committed for the other nodes ({@link CommitLog}), JSON built with the json
 * functions and stored as text.
 */
final class PostgresDialect implements Dialect {
  private static final ObjectMapper JSON = new ObjectMapper();
  // connection, insufficient resources, operator intervention, system error, rolled back by the server
  private static final Set<String> FAULT_CLASSES = Set.of("08", "53", "57", "58", "40");

  // invalid byte sequence (NUL in text), character not in repertoire
  private static final Set<String> UNSTORABLE_TEXT = Set.of("22021", "22P05");

  private final int lockTimeoutMs;
  private final CommitLog log;

  PostgresDialect(int lockTimeoutMs, CommitLog log) {
    this.lockTimeoutMs = lockTimeoutMs;
    this.log = log;
  }

  /**
   * A writer that cannot get the counters lock within the lock timeout (another session holds it)
   * fails the batch with 503 instead of holding every request of this node.
   */
  @Override
  public void openWriter(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET lock_timeout = " + lockTimeoutMs);
    }
    connection.setAutoCommit(false);
  }

  @Override
  public void begin(JdbcTx tx, MemorySequencer sequencer) throws SQLException {
    PostgresCounters.lock(tx.connection(), sequencer);
    log.begun(sequencer.lastSeq());
  }

  /** The other nodes learn of this transaction from the commit log. */
  @Override
  public void beforeCommit(JdbcTx tx, MemorySequencer sequencer, List<Committed> events) {
    log.append(tx, sequencer.lastSeq(), events);
  }

  @Override
  public void afterCommit(MemorySequencer sequencer, List<Committed> events) {
    log.committed(sequencer.lastSeq(), events);
  }

  @Override
  public void commit(JdbcTx tx) throws SQLException {
    tx.connection().commit();
  }

  @Override
  public void rollback(JdbcTx tx) throws SQLException {
    tx.connection().rollback();
  }

  @Override
  public void closeWriter(JdbcTx tx) {
    // nothing is open between batches
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public boolean isStorageFault(SQLException e) {
    String state = e.getSQLState();
    return state == null || state.length() < 2 || FAULT_CLASSES.contains(state.substring(0, 2))
        || "55P03".equals(state);
  }

  @Override
  public boolean isUnstorableText(SQLException e) {
    return UNSTORABLE_TEXT.contains(e.getSQLState());
  }

  @Override
  public String jsonArrayAgg(String element) {
    return "COALESCE(json_agg(" + element + "), '[]'::json)::text";
  }

  @Override
  public String jsonArray(String elements) {
    return "json_build_array(" + elements + ")";
  }

  @Override
  public String jsonObject(String pairs) {
    return "json_build_object(" + pairs + ")";
  }

  @Override
  public String json(String textColumn) {
    return "(" + textColumn + ")::json";
  }

  @Override
  public String appendJsonParameter(String column) {
    return "(" + column + "::jsonb || jsonb_build_array(?::jsonb))::text";
  }

  @Override
  public String metadataEquals() {
    return " AND (metadata::jsonb -> ?) = ?::jsonb";
  }

  @Override
  public Object metadataPath(String key) {
    return key;
  }

  @Override
  public Object metadataValue(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("match value cannot be written as JSON", e);
    }
  }

  @Override
  public String bytesAsText(String column) {
    return "convert_from(" + column + ", 'UTF8')";
  }

  @Override
  public String greatest(String a, String b) {
    return "GREATEST(" + a + ", " + b + ")";
  }
}
