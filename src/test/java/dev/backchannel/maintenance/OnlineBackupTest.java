package dev.backchannel.maintenance;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.cli.BackupCommand;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.Posters;
import dev.backchannel.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** Backups taken while four clients keep posting: consistent, complete up to their start. */
@Timeout(60)
@DisabledIfSystemProperty(named = TestServer.STORE_PROPERTY, matches = "postgres",
    disabledReason = "SQLite's online copy; on PostgreSQL the endpoint answers backup_unsupported")
class OnlineBackupTest extends ApiTest {
  static final String ADMIN = "admin-token-for-backups";
  String key;

  @Override
  protected Map<String, String> settings() {
    return Map.of("admin_token", ADMIN);
  }

  @BeforeAll
  void start() {
    key = api.mintKey("backup-poster");
  }

  @Test
  void adminBackupDuringWritesHoldsEveryMessageAcknowledgedBeforeIt() throws Exception {
    Set<String> before;
    Response backup;
    try (Posters posters = Posters.start(api, key, channel("backup-admin"), 4, Duration.ofSeconds(30))) {
      posters.awaitAcknowledged(200);
      before = posters.acknowledged();
      backup = api.post("/v1/admin/backup", json("path", "during-writes.db")).header("X-Admin-Token", ADMIN).send();
      posters.awaitAcknowledged(before.size() + 50);
    }

    assertThat(backup.status()).as(backup.toString()).isEqualTo(201);
    assertThat(backup.text("file")).isEqualTo("during-writes.db");
    Path file = server.server().config().effectiveBackupDir().resolve("during-writes.db");
    assertThat(backup.json().get("size_bytes").asLong()).isEqualTo(Files.size(file));
    assertThat(backup.json().get("duration_ms").asLong()).isNotNegative();
    assertThat(Files.exists(file.resolveSibling("during-writes.db.partial"))).isFalse();
    assertConsistentAndHolds(file, before);
  }

  @Test
  void commandLineBackupDuringWritesHoldsEveryMessageAcknowledgedBeforeIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("nested").resolve("cli.db");
    Set<String> before;
    int exit;
    try (Posters posters = Posters.start(api, key, channel("backup-cli"), 4, Duration.ofSeconds(30))) {
      posters.awaitAcknowledged(200);
      before = posters.acknowledged();
      exit = BackupCommand.run(server.server().config(), file.toString());
      posters.awaitAcknowledged(before.size() + 50);
    }

    assertThat(exit).isZero();
    assertConsistentAndHolds(file, before);
    assertThat(BackupCommand.run(server.server().config(), file.toString())).isEqualTo(1);
  }

  @Test
  void backupNamesStayInsideTheBackupDirectory() {
    for (String path : new String[] {"../escape.db", "/tmp/abs.db", "sub/dir.db", ".hidden", "x.db.partial", ""}) {
      Response refused = api.post("/v1/admin/backup", json("path", path)).header("X-Admin-Token", ADMIN).send();
      assertThat(refused.status()).as(path).isEqualTo(422);
      assertThat(refused.error()).as(path).isIn("invalid_backup_name", "invalid_string");
    }
    Response first = api.post("/v1/admin/backup", json()).header("X-Admin-Token", ADMIN).send();
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.text("file")).matches("backchannel-\\d{8}T\\d{6}\\.\\d{3}Z\\.db");
    Response again = api.post("/v1/admin/backup", json("path", first.text("file"))).header("X-Admin-Token", ADMIN)
        .send();
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.error()).isEqualTo("backup_exists");
    assertThat(api.post("/v1/admin/backup", json()).send().error()).isEqualTo("admin_unauthorized");
    assertThat(api.post("/v1/admin/backup", json()).key(key).send().status()).isEqualTo(401);
  }

  private String channel(String name) {
    Response created = api.post("/v1/channels", json("name", name, "mode", "claimable")).key(key).send();
    assertThat(created.status()).isEqualTo(201);
    return created.text("id");
  }

  private void assertConsistentAndHolds(Path file, Set<String> acknowledged) throws Exception {
    try (Connection backup = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
        Statement sql = backup.createStatement()) {
      try (ResultSet check = sql.executeQuery("PRAGMA integrity_check")) {
        check.next();
        assertThat(check.getString(1)).isEqualTo("ok");
      }
      Set<String> ids = new HashSet<>();
      try (ResultSet rows = sql.executeQuery("SELECT id FROM messages")) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
      assertThat(ids).containsAll(acknowledged);
    }
  }
}
