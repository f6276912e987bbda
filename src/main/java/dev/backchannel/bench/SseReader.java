package dev.backchannel.bench;

import io.vertx.core.buffer.Buffer;

/**
 * Splits an event stream into events as its chunks arrive: {@code id:}, {@code event:} and
 * {@code data:} lines up to a blank line; comment lines ({@code :}) are skipped.
 */
final class SseReader {
  /** Receives each complete event. */
  interface Listener {
    void onEvent(long id, String event, String data);
  }

  private final Listener listener;
  private String partial = "";
  private long id = -1;
  private String event = "message";
  private String data;

  SseReader(Listener listener) {
    this.listener = listener;
  }

  void feed(Buffer chunk) {
    String text = partial.isEmpty() ? chunk.toString() : partial + chunk.toString();
    int start = 0;
    int end;
    while ((end = text.indexOf('\n', start)) >= 0) {
      line(text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end));
      start = end + 1;
    }
    partial = text.substring(start);
  }

  private void line(String line) {
    if (line.isEmpty()) {
      if (data != null) {
        listener.onEvent(id, event, data);
      }
      id = -1;
      event = "message";
      data = null;
    } else if (line.startsWith("id:")) {
      id = Long.parseLong(line.substring(3).strip());
    } else if (line.startsWith("event:")) {
      event = line.substring(6).strip();
    } else if (line.startsWith("data:")) {
      String value = line.substring(line.startsWith("data: ") ? 6 : 5);
      data = data == null ? value : data + "\n" + value;
    }
  }
}
