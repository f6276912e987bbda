package dev.backchannel.store.sqlite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * An online, consistent copy of the database while the server keeps writing. {@code VACUUM INTO}
 * runs inside one read transaction on a read-only connection: WAL gives it a snapshot and never
 * blocks the writer. The page-by-page backup API ({@code backup to}) restarts whenever another
 * connection commits, so under steady writes it may never finish (measured; see docs/operations.md).
 */
public final class SqliteBackup {
  private static final int BUSY_TIMEOUT_MS = 5_000;

  private SqliteBackup() {}

  /**
   * Writes the copy to a temporary file beside {@code target}, syncs it (SQLite does not sync
   * {@code VACUUM INTO} output) and renames it into place, so a half-written backup never carries
   * the final name. Blocking; returns the size in bytes.
   */
  public static long copy(Path database, Path target) throws SQLException, IOException {
    if (!Files.isRegularFile(database)) {
      throw new NoSuchFileException(database.toString(), null, "no database at this path");
    }
    Path destination = target.toAbsolutePath();
    Files.createDirectories(destination.getParent());
    if (Files.exists(destination)) {
      throw new FileAlreadyExistsException(destination.toString());
    }
    Path partial = destination.resolveSibling(destination.getFileName() + ".partial");
    Files.deleteIfExists(partial);
    try {
      vacuumInto(database, partial);
      sync(partial, StandardOpenOption.WRITE);
      Files.move(partial, destination, StandardCopyOption.ATOMIC_MOVE);
      sync(destination.getParent(), StandardOpenOption.READ);
    } finally {
      Files.deleteIfExists(partial);
    }
    return Files.size(destination);
  }

  private static void vacuumInto(Path database, Path output) throws SQLException {
    try (Connection connection = SqliteFiles.dataSource(database, "FULL", BUSY_TIMEOUT_MS, true).getConnection();
        PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
      vacuum.setString(1, output.toString());
      vacuum.execute();
    }
  }

  private static void sync(Path path, StandardOpenOption mode) throws IOException {
    try (FileChannel channel = FileChannel.open(path, mode)) {
      channel.force(true);
    }
  }
}
