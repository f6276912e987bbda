package dev.backchannel;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The server's version, stamped into the jar at build time. */
public final class Version {
  public static final String VALUE = load();

  private Version() {}

  private static String load() {
    Properties properties = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("/backchannel-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    String value = properties.getProperty("version", "unknown");
    return value.startsWith("${") ? "unknown" : value;
  }
}
