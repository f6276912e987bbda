package dev.backchannel.store.postgres;

import dev.backchannel.error.ApiError;
import dev.backchannel.maintenance.BackupStore;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.CommitSinks;
import dev.backchannel.store.StoreOpenException;
import dev.backchannel.store.jdbc.JdbcDatabase;
import dev.backchannel.store.jdbc.JdbcWriter;
import dev.backchannel.store.jdbc.ReadPool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL store: the same table stores as SQLite's, one writer connection whose
 * transactions take turns with every other node's (see {@link PostgresCounters}), a read pool,
 * and the commit log through which the nodes learn of each other's commits ({@link CommitLog}).
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

  private final CommitLog log;
  private final CommitOrder order;

  private PostgresStore(Vertx vertx, JdbcWriter writer, ReadPool reads, PostgresDialect dialect, CommitLog log,
      CommitOrder order) {
    super(vertx, writer, reads, dialect);
    this.log = log;
    this.order = order;
  }

  /** The settings the store needs from the configuration. */
  public record Options(String url, int poolSize, int writerMaxBatch, int lockTimeoutMs) {}

  /**
   * Migrates the schema (blocking), starts the writer, opens the read pool and starts reading the
   * commit log. Any number of processes may open the same database.
   */
  public static PostgresStore open(Vertx vertx, Options options, Clock clock, Metrics metrics, CommitSinks sinks) {
    try {
      long lastSeq;
      try (Connection connection = dataSource(options.url(), false, "backchannel-writer").getConnection()) {
        PostgresSchema.migrate(connection);
        lastSeq = lastSeq(connection);
      }
      String node = UUID.randomUUID().toString();
      CommitOrder order = new CommitOrder(node, sinks.changes(), sinks.live(), lastSeq);
      CommitLog log = new CommitLog(node, order, dataSource(options.url(), false, "backchannel-commit-log"), clock);
      PostgresDialect dialect = new PostgresDialect(options.lockTimeoutMs(), log);
      JdbcWriter writer = new JdbcWriter(dataSource(options.url(), false, "backchannel-writer"), dialect, clock,
          options.writerMaxBatch(), metrics, sinks.changes());
      ReadPool reads = new ReadPool(vertx, dataSource(options.url(), true, "backchannel-read"), options.poolSize(),
          "postgres-read", dialect);
      log.start();
      return new PostgresStore(vertx, writer, reads, dialect, log, order);
    } catch (SQLException e) {
      throw new StoreOpenException("cannot open PostgreSQL database: " + e.getMessage(), e);
    }
  }

  private static PGSimpleDataSource dataSource(String url, boolean readOnly, String name) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(url);
    source.setReadOnly(readOnly);
    source.setApplicationName(name);
    return source;
  }

  private static long lastSeq(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT value FROM counters WHERE name = 'last_seq'")) {
      return rs.next() ? rs.getLong(1) : 0L;
    }
  }

  /** This process's commits and those of the other processes it has read from the commit log. */
  @Override
  public long commits() {
    return super.commits() + order.remoteBatches();
  }

  @Override
  public Future<Void> close() {
    return super.close().eventually(() -> vertx.executeBlocking(() -> {
      log.close();
      return null;
    }));
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
