package dev.backchannel.store.sqlite;

import dev.backchannel.store.MigrationScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Logger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the database file with the pragmas every connection needs and brings its schema up to
 * date. Pragmas are per connection (stack-notes gotcha 4), so they live in the data source.
 */
public final class SqliteFiles {
  private static final Logger LOG = Logger.getLogger(SqliteFiles.class.getName());
  private static final String[] MIGRATIONS = {
      "V001__init.sql", "V002__webhooks.sql", "V003__streams.sql", "V004__agents.sql", "V005__queues.sql",
      "V006__message_edits.sql", "V007__inbox.sql"};

  private SqliteFiles() {}

  public static SQLiteDataSource dataSource(Path file, String synchronous, int busyTimeoutMs, boolean readOnly) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(synchronous));
    config.setBusyTimeout(busyTimeoutMs);
    config.enforceForeignKeys(true);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.setReadOnly(readOnly);
    // Otherwise the driver matches every statement against a pattern and runs a second one
    // (SELECT last_insert_rowid()) after each INSERT; nothing here reads generated keys.
    config.setGetGeneratedKeys(false);
    SQLiteDataSource source = new SQLiteDataSource(config);
    source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return source;
  }

  /** Creates the parent directory and applies pending migrations; returns the schema version. */
  public static int migrate(Path file, String synchronous, int busyTimeoutMs) throws SQLException {
    createParent(file);
    try (Connection connection = dataSource(file, synchronous, busyTimeoutMs, false).getConnection();
        Statement statement = connection.createStatement()) {
      int version;
      try (var rs = statement.executeQuery("PRAGMA user_version")) {
        version = rs.next() ? rs.getInt(1) : 0;
      }
      if (version > MIGRATIONS.length) {
        throw new SQLException("database schema version " + version
            + " is newer than this server understands (" + MIGRATIONS.length + ")");
      }
      for (int next = version; next < MIGRATIONS.length; next++) {
        statement.execute("BEGIN IMMEDIATE");
        try {
          for (String sql : MigrationScripts.statements("/db/sqlite/" + MIGRATIONS[next])) {
            statement.execute(sql);
          }
          statement.execute("PRAGMA user_version = " + (next + 1));
          statement.execute("COMMIT");
        } catch (SQLException e) {
          statement.execute("ROLLBACK");
          throw e;
        }
        LOG.info("applied migration " + MIGRATIONS[next]);
      }
      return MIGRATIONS.length;
    }
  }

  private static void createParent(Path file) throws SQLException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw new SQLException("cannot create directory " + parent + ": " + e.getMessage(), e);
      }
    }
  }

  /** The database file with its WAL and shared-memory files, in bytes (blocking). */
  static long sizeWithJournal(Path file) throws IOException {
    long total = 0;
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path part = Path.of(file + suffix);
      total += Files.exists(part) ? Files.size(part) : 0;
    }
    return total;
  }
}
