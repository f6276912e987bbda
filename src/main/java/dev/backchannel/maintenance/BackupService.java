package dev.backchannel.maintenance;

import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import io.vertx.core.Future;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Online backups requested over the admin API. Files go into the configured backup directory
 * only: a client names the file, never a path, and one backup runs at a time.
 */
public final class BackupService {
  private static final Logger LOG = Logger.getLogger(BackupService.class.getName());
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final BackupStore store;
  private final Path directory;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();

  public BackupService(BackupStore store, Path directory, Clock clock) {
    this.store = store;
    this.directory = directory;
    this.clock = clock;
  }

  public Path directory() {
    return directory;
  }

  /** Backs up into {@code name} (a plain file name), or a time-stamped name when it is null. */
  public Future<Backup> backup(String name) {
    String file = name == null ? "backchannel-" + STAMP.format(clock.instant()) + ".db" : name;
    if (!NAME.matcher(file).matches() || file.endsWith(".partial")) {
      return Future.failedFuture(ApiError.INVALID_BACKUP_NAME.exception("path must be a file name inside the "
          + "backup directory: letters, digits, '.', '_' and '-', at most 128 characters, not starting with '.'"));
    }
    if (!running.compareAndSet(false, true)) {
      return Future.failedFuture(ApiError.BACKUP_IN_PROGRESS.exception());
    }
    long started = System.nanoTime();
    return store.backupTo(directory.resolve(file))
        .map(size -> new Backup(file, size, Duration.ofNanos(System.nanoTime() - started), clock.instant()))
        .recover(BackupService::failure)
        .eventually(() -> {
          running.set(false);
          return Future.succeededFuture();
        });
  }

  private static Future<Backup> failure(Throwable e) {
    if (e instanceof FileAlreadyExistsException) {
      return Future.failedFuture(ApiError.BACKUP_EXISTS.exception());
    }
    if (e instanceof ApiException refused) {
      return Future.failedFuture(refused);
    }
    LOG.log(Level.WARNING, "backup failed: " + e);
    return Future.failedFuture(ApiError.BACKUP_FAILED.exception());
  }
}
