package dev.backchannel.store.jdbc;

import dev.backchannel.store.Committed;
import dev.backchannel.store.MemorySequencer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between the databases the JDBC stores run on: how the writer's transaction is
 * opened, committed and classified when it fails, and the few SQL expressions (JSON building,
 * two-argument maximum, bytes as text) that have no common spelling. Everything else the stores
 * say in SQL both databases read alike.
 */
public interface Dialect {
  /** Sets up the writer's connection once, before its first transaction. */
  void openWriter(Connection connection) throws SQLException;

  /**
   * Opens a write transaction. A database other processes write to must also bring
   * {@code sequencer} up to what they committed, under a lock held until this transaction ends.
   */
  void begin(JdbcTx tx, MemorySequencer sequencer) throws SQLException;

  /**
   * The last statements of a write transaction, after its counters are saved: a database other
   * processes write to records what it commits for them.
   */
  default void beforeCommit(JdbcTx tx, MemorySequencer sequencer, List<Committed> events) throws SQLException {}

  void commit(JdbcTx tx) throws SQLException;

  /** After COMMIT, once this process's own consumers have the events. */
  default void afterCommit(MemorySequencer sequencer, List<Committed> events) {}

  void rollback(JdbcTx tx) throws SQLException;

  /** Last words on the writer's connection before it closes (a checkpoint, say). */
  void closeWriter(JdbcTx tx);

  /**
   * Whether other processes write to the same database, so that nothing the writer read may be
   * kept past the transaction it was read in.
   */
  boolean shared();

  /**
   * A failure of the database rather than of the statement (unreachable, busy, out of space): the
   * batch is answered {@code 503 storage_unavailable}.
   */
  boolean isStorageFault(SQLException e);

  /** Text the database cannot hold at all (PostgreSQL refuses U+0000): the request is answered 422. */
  boolean isUnstorableText(SQLException e);

  /** A JSON array, as text, of {@code element} over the rows of the enclosing aggregate query. */
  String jsonArrayAgg(String element);

  /** A JSON array of the given comma-separated SQL expressions. */
  String jsonArray(String elements);

  /** A JSON object of the given comma-separated key, value SQL expressions. */
  String jsonObject(String pairs);

  /** The JSON value of a column that holds JSON text, to nest in {@link #jsonObject}. */
  String json(String textColumn);

  /** {@code column}, a JSON array as text, with one element appended: a parameter holding JSON text. */
  String appendJsonParameter(String column);

  /** A condition on {@code metadata} with two parameters: {@link #metadataPath} and {@link #metadataValue}. */
  String metadataEquals();

  Object metadataPath(String key);

  Object metadataValue(Object value);

  /** UTF-8 text of a bytes column. */
  String bytesAsText(String column);

  /** The larger of two values (SQLite's scalar {@code MAX(a, b)}). */
  String greatest(String a, String b);
}
