package dev.backchannel.ops;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** One line per record: {@code time level logger: message}, then the stack trace of a failure. */
public final class TextLogFormatter extends Formatter {
  @Override
  public String format(LogRecord record) {
    StringBuilder line = new StringBuilder(128)
        .append(record.getInstant()).append(' ')
        .append(record.getLevel().getName()).append(' ')
        .append(record.getLoggerName()).append(": ")
        .append(formatMessage(record))
        .append(System.lineSeparator());
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.append(trace);
    }
    return line.toString();
  }
}
