package dev.backchannel.store.postgres;

import dev.backchannel.store.MigrationScripts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Logger;

/**
 * Brings a PostgreSQL database's schema up to date. Every node runs it at start; an advisory
 * lock held for the migrating transaction lets one of them migrate while the others wait and
 * then find nothing to do. DDL is transactional here, so a failed migration leaves no trace.
 */
public final class PostgresSchema {
  private static final Logger LOG = Logger.getLogger(PostgresSchema.class.getName());
  private static final String[] MIGRATIONS = {"V001__schema.sql", "V002__commit_log.sql"};
  /** Advisory lock key of schema migrations ("bchannel" as a number); only ever held by a migration. */
  static final long MIGRATION_LOCK = 0x6263_6861_6e6e_656cL;

  private PostgresSchema() {}

  /** The schema version this build writes. */
  public static int latest() {
    return MIGRATIONS.length;
  }

  /** Applies pending migrations in one transaction; returns the schema version (blocking). */
  public static int migrate(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
      statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      int version = version(statement);
      if (version > MIGRATIONS.length) {
        throw new SQLException("database schema version " + version
            + " is newer than this server understands (" + MIGRATIONS.length + ")");
      }
      for (int next = version; next < MIGRATIONS.length; next++) {
        for (String sql : MigrationScripts.statements("/db/postgres/" + MIGRATIONS[next])) {
          statement.execute(sql);
        }
        LOG.info("applied migration " + MIGRATIONS[next]);
      }
      statement.execute("DELETE FROM schema_version");
      statement.execute("INSERT INTO schema_version (version) VALUES (" + MIGRATIONS.length + ")");
      connection.commit();
      return MIGRATIONS.length;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static int version(Statement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery("SELECT max(version) FROM schema_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
