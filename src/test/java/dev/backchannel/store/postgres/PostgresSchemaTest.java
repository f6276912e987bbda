package dev.backchannel.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.store.sqlite.SqliteFiles;
import dev.backchannel.testing.PostgresCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL schema on a real throwaway cluster. */
class PostgresSchemaTest {
  private final PostgresCluster cluster = PostgresCluster.shared();

  @TempDir
  Path dir;

  @Test
  void migratesAnEmptyDatabaseAndThenFindsNothingToDo() throws SQLException {
    String url = cluster.createDatabase();
    try (Connection connection = DriverManager.getConnection(url)) {
      assertThat(PostgresSchema.migrate(connection)).isEqualTo(PostgresSchema.latest());
      assertThat(PostgresSchema.migrate(connection)).isEqualTo(PostgresSchema.latest());
      assertThat(strings(connection, "SELECT version::text FROM schema_version"))
          .containsExactly(Integer.toString(PostgresSchema.latest()));
      assertThat(strings(connection, "SELECT name || '=' || value FROM counters ORDER BY name"))
          .containsExactly("last_created_at=0", "last_seq=0");
    }
  }

  @Test
  void threeNodesStartingAtOnceMigrateOnce() throws Exception {
    String url = cluster.createDatabase();
    CyclicBarrier start = new CyclicBarrier(3);
    List<CompletableFuture<Integer>> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(CompletableFuture.supplyAsync(() -> {
        try (Connection connection = DriverManager.getConnection(url)) {
          start.await(10, TimeUnit.SECONDS);
          return PostgresSchema.migrate(connection);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<Integer> node : nodes) {
      assertThat(node.get(60, TimeUnit.SECONDS)).isEqualTo(PostgresSchema.latest());
    }
    try (Connection connection = DriverManager.getConnection(url)) {
      assertThat(strings(connection, "SELECT version::text FROM schema_version")).hasSize(1);
      assertThat(strings(connection, "SELECT name FROM counters")).hasSize(2);
    }
  }

  @Test
  void hasTheTablesColumnsAndIndexesOfTheSqliteSchema() throws SQLException {
    Path file = dir.resolve("schema.db");
    SqliteFiles.migrate(file, "FULL", 5_000);
    Map<String, Set<String>> sqlite = new TreeMap<>();
    Set<String> sqliteIndexes;
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      for (String table : strings(connection,
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
        sqlite.put(table, new TreeSet<>(strings(connection, "SELECT name FROM pragma_table_info('" + table + "')")));
      }
      sqliteIndexes = new TreeSet<>(strings(connection,
          "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'"));
    }

    Map<String, Set<String>> postgres = new TreeMap<>();
    Set<String> postgresIndexes;
    try (Connection connection = DriverManager.getConnection(cluster.createDatabase())) {
      PostgresSchema.migrate(connection);
      // The commit log is PostgreSQL's alone: it tells the other nodes on the database what committed.
      for (String column : strings(connection, """
          SELECT table_name || '.' || column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name NOT IN ('schema_version', 'commit_log')
          AND column_name <> 'rowid'""")) {
        String[] parts = column.split("\\.", 2);
        postgres.computeIfAbsent(parts[0], t -> new TreeSet<>()).add(parts[1]);
      }
      // Indexes behind PRIMARY KEY and UNIQUE constraints are named by PostgreSQL, not by us.
      postgresIndexes = new TreeSet<>(strings(connection, """
          SELECT indexname FROM pg_indexes i WHERE schemaname = 'public' AND tablename <> 'commit_log'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"""));
    }
    assertThat(postgres).isEqualTo(sqlite);
    assertThat(postgresIndexes).isEqualTo(sqliteIndexes);
  }

  static List<String> strings(Connection connection, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
