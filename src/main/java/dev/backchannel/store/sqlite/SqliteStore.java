package dev.backchannel.store.sqlite;

import dev.backchannel.maintenance.BackupStore;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import dev.backchannel.store.StoreOpenException;
import dev.backchannel.store.jdbc.JdbcDatabase;
import dev.backchannel.store.jdbc.JdbcWriter;
import dev.backchannel.store.jdbc.ReadPool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/** The embedded SQLite store: one writer for every change, a read pool of read-only connections. */
public final class SqliteStore extends JdbcDatabase {
  private final Path file;

  private SqliteStore(Vertx vertx, Path file, JdbcWriter writer, ReadPool reads) {
    super(vertx, writer, reads, SqliteDialect.INSTANCE);
    this.file = file;
  }

  /** The settings the store needs from the configuration. */
  public record Options(Path file, String synchronous, int busyTimeoutMs, int readPoolSize, int writerMaxBatch) {}

  /**
   * Migrates the schema (blocking; call from a worker or before serving), starts the writer
   * and opens the read pool.
   */
  public static SqliteStore open(Vertx vertx, Options options, Clock clock, Metrics metrics,
      Consumer<List<Committed>> onCommit) {
    try {
      SqliteFiles.migrate(options.file(), options.synchronous(), options.busyTimeoutMs());
      JdbcWriter writer = new JdbcWriter(
          SqliteFiles.dataSource(options.file(), options.synchronous(), options.busyTimeoutMs(), false),
          SqliteDialect.INSTANCE, clock, options.writerMaxBatch(), metrics, onCommit);
      ReadPool reads = new ReadPool(vertx,
          SqliteFiles.dataSource(options.file(), options.synchronous(), options.busyTimeoutMs(), true),
          options.readPoolSize(), "sqlite-read", SqliteDialect.INSTANCE);
      return new SqliteStore(vertx, options.file(), writer, reads);
    } catch (SQLException e) {
      throw new StoreOpenException("cannot open database " + options.file() + ": " + e.getMessage(), e);
    }
  }

  /** The database with its WAL and shared-memory files, measured off the event loop. */
  @Override
  public Future<Long> sizeBytes() {
    return vertx.executeBlocking(() -> SqliteFiles.sizeWithJournal(file), false);
  }

  public Path file() {
    return file;
  }

  /** Online backups through {@link SqliteBackup}, run on a worker thread. */
  @Override
  public BackupStore backups() {
    return target -> vertx.executeBlocking(() -> SqliteBackup.copy(file, target), false);
  }
}
