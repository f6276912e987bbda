package dev.backchannel.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backchannel.config.Config;
import dev.backchannel.store.sqlite.SqliteBackup;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code backup <file>}: a consistent copy of the database, taken while the server keeps serving
 * (it opens its own read-only connection; see {@link SqliteBackup}).
 */
public final class BackupCommand {
  private BackupCommand() {}

  public static int run(Config config, String file) throws Exception {
    if (file == null) {
      System.err.println("usage: backup <file> [--db PATH] [--config FILE]");
      return 2;
    }
    if (config.postgres()) {
      System.err.println("backup: the store is PostgreSQL; back it up with pg_dump or base backups");
      return 2;
    }
    Path target = Path.of(file);
    long started = System.nanoTime();
    long size;
    try {
      size = SqliteBackup.copy(config.db(), target);
    } catch (FileAlreadyExistsException e) {
      System.err.println("backup: " + target + " already exists; choose another file");
      return 1;
    } catch (NoSuchFileException e) {
      System.err.println("backup: no database at " + config.db().toAbsolutePath());
      return 1;
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("file", target.toAbsolutePath().toString());
    summary.put("size_bytes", size);
    summary.put("duration_ms", (System.nanoTime() - started) / 1_000_000);
    System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    return 0;
  }
}
