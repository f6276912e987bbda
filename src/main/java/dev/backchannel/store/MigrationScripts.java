package dev.backchannel.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a migration script from the classpath as its statements, for every store adapter. */
public final class MigrationScripts {
  private MigrationScripts() {}

  /**
   * The statements of {@code resource} (a classpath path): split on lines ending with ';', with
   * blank and {@code --} comment lines dropped.
   */
  public static List<String> statements(String resource) {
    String text;
    try (InputStream in = MigrationScripts.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing migration " + resource);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read migration " + resource, e);
    }
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        statements.add(current.toString());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString());
    }
    return statements;
  }
}
