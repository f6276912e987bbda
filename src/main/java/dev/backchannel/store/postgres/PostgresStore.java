package dev.backchannel.store.postgres;

import dev.backchannel.error.ApiError;
import dev.backchannel.maintenance.BackupStore;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import dev.backchannel.store.StoreOpenException;
import dev.backchannel.store.jdbc.JdbcDatabase;
import dev.backchannel.store.jdbc.JdbcWriter;
import dev.backchannel.store.jdbc.ReadPool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL store: the same table stores as SQLite's, one writer connection whose
 * transactions take turns with every other node's (see {@link PostgresCounters}), and a read pool.
 */
public final class PostgresStore extends JdbcDatabase {
  /**
   * The driver's FINE and FINEST records trace every statement with its parameters (webhook
   * secrets, key hashes) and the connection URL (a password): below INFO unless the operator
   * configured this logger on purpose. Held here because the logging system keeps levels only of
   * loggers someone references.
   */
  private static final Logger DRIVER_LOG = Logger.getLogger("org.postgresql");

  static {
    if (DRIVER_LOG.getLevel() == null) {
      DRIVER_LOG.setLevel(Level.INFO);
    }
  }

  private PostgresStore(Vertx vertx, JdbcWriter writer, ReadPool reads, PostgresDialect dialect) {
    super(vertx, writer, reads, dialect);
  }

  /** The settings the store needs from the configuration. */
  public record Options(String url, int poolSize, int writerMaxBatch, int lockTimeoutMs) {}

  /** Migrates the schema (blocking), starts the writer and opens the read pool. */
  public static PostgresStore open(Vertx vertx, Options options, Clock clock, Metrics metrics,
      Consumer<List<Committed>> onCommit) {
    try {
      try (Connection connection = dataSource(options.url(), false).getConnection()) {
        PostgresSchema.migrate(connection);
      }
      PostgresDialect dialect = new PostgresDialect(options.lockTimeoutMs());
      JdbcWriter writer = new JdbcWriter(dataSource(options.url(), false), dialect, clock,
          options.writerMaxBatch(), metrics, onCommit);
      ReadPool reads = new ReadPool(vertx, dataSource(options.url(), true), options.poolSize(), "postgres-read",
          dialect);
      return new PostgresStore(vertx, writer, reads, dialect);
    } catch (SQLException e) {
      throw new StoreOpenException("cannot open PostgreSQL database: " + e.getMessage(), e);
    }
  }

  private static PGSimpleDataSource dataSource(String url, boolean readOnly) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(url);
    source.setReadOnly(readOnly);
    source.setApplicationName(readOnly ? "backchannel-read" : "backchannel-writer");
    return source;
  }

  @Override
  public Future<Long> sizeBytes() {
    return reads().count("SELECT pg_database_size(current_database()) AS n");
  }

  /** PostgreSQL is backed up with its own tools (pg_dump, base backups), not through this server. */
  @Override
  public BackupStore backups() {
    return target -> Future.failedFuture(ApiError.BACKUP_UNSUPPORTED.exception());
  }
}
