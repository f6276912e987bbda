package dev.backchannel.ops;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Applies {@code log_format} to the root JUL handlers, and moves the console handler's writes
 * to stderr off the logging threads ({@link QueuedLogHandler}). Levels and extra handlers
 * can still come from a {@code java.util.logging.config.file}; the access log is the
 * {@code backchannel.access} logger.
 */
public final class Logging {
  private Logging() {}

  public static void configure(String format) {
    Formatter formatter = "json".equals(format) ? new JsonLogFormatter() : new TextLogFormatter();
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler handler : root.getHandlers()) {
      if (handler instanceof ConsoleHandler console) {
        root.removeHandler(console);
        console.close();
        root.addHandler(new QueuedLogHandler(System.err, formatter, console.getLevel()));
      } else {
        handler.setFormatter(formatter);
      }
    }
  }
}
