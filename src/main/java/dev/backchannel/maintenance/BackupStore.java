package dev.backchannel.maintenance;

import io.vertx.core.Future;
import java.nio.file.Path;

/** Takes online backups of the database. */
public interface BackupStore {
  /**
   * Writes a consistent copy of the database to {@code target}, which must not exist yet, off the
   * event loop; completes with its size in bytes, or fails with
   * {@link java.nio.file.FileAlreadyExistsException} when the file is already there.
   */
  Future<Long> backupTo(Path target);
}
