package dev.backchannel.ops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: {@code time}, {@code level}, {@code logger}, {@code message}, the
 * record's {@link LogFields} (such as {@code request_id}), and for a failure {@code error_class},
 * {@code error_message} and {@code stack}.
 */
public final class JsonLogFormatter extends Formatter {
  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public String format(LogRecord record) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", record.getInstant().toString());
      json.writeStringField("level", record.getLevel().getName());
      json.writeStringField("logger", record.getLoggerName());
      json.writeStringField("message", formatMessage(record));
      for (Map.Entry<String, Object> field : LogFields.of(record).values().entrySet()) {
        writeField(json, field.getKey(), field.getValue());
      }
      Throwable error = record.getThrown();
      if (error != null) {
        json.writeStringField("error_class", error.getClass().getName());
        json.writeStringField("error_message", error.getMessage());
        json.writeStringField("stack", stackTrace(error));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.append(System.lineSeparator()).toString();
  }

  private static void writeField(JsonGenerator json, String name, Object value) throws IOException {
    if (value instanceof Integer || value instanceof Long) {
      json.writeNumberField(name, ((Number) value).longValue());
    } else if (value instanceof Number number) {
      json.writeNumberField(name, number.doubleValue());
    } else if (value instanceof Boolean flag) {
      json.writeBooleanField(name, flag);
    } else {
      json.writeStringField(name, String.valueOf(value));
    }
  }

  private static String stackTrace(Throwable error) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    return trace.toString();
  }
}
