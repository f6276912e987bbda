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
  private Buffer partial = Buffer.buffer(); // bytes after the last line break, perhaps half a character
  private long id = -1;
  private String event = "message";
  private String data;

  SseReader(Listener listener) {
    this.listener = listener;
  }

  /** Lines are cut at their byte {@code \n} before decoding, so a character split across chunks stays whole. */
  void feed(Buffer chunk) {
    Buffer bytes = partial.length() == 0 ? chunk : partial.appendBuffer(chunk);
    int start = 0;
    for (int i = 0; i < bytes.length(); i++) {
      if (bytes.getByte(i) == '\n') {
        int end = i > start && bytes.getByte(i - 1) == '\r' ? i - 1 : i;
        line(bytes.getString(start, end, "UTF-8"));
        start = i + 1;
      }
    }
    partial = bytes.getBuffer(start, bytes.length());
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
