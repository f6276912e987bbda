package dev.backchannel.ops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Named values attached to a log record as its parameter, so the JSON log format can emit them
 * as fields ({@code request_id}, {@code status} ...). The text format shows the message only, so
 * a message must read on its own.
 */
public record LogFields(Map<String, Object> values) {
  public LogFields {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Fields from alternating names and values; null values are left out. */
  public static LogFields of(Object... pairs) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        values.put((String) pairs[i], pairs[i + 1]);
      }
    }
    return new LogFields(values);
  }

  /** The fields a record carries, or none. */
  public static LogFields of(LogRecord record) {
    Object[] parameters = record.getParameters();
    if (parameters != null) {
      for (Object parameter : parameters) {
        if (parameter instanceof LogFields fields) {
          return fields;
        }
      }
    }
    return new LogFields(Map.of());
  }

  /** Logs {@code message} (and {@code error}, if any) with these fields. */
  public void log(Logger logger, Level level, String message, Throwable error) {
    if (!logger.isLoggable(level)) {
      return;
    }
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName(logger.getName());
    record.setParameters(new Object[] {this});
    record.setThrown(error);
    logger.log(record);
  }
}
