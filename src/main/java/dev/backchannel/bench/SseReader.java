package dev.backchannel.bench;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits an event stream into events as its chunks arrive: {@code id:}, {@code event:} and
 * {@code data:} lines up to a blank line; comment lines ({@code :}) are skipped.
 */
final class SseReader {
  /** Receives each complete event. */
  interface Listener {
    void onEvent(long id, String event, String data);
  }

  private static final byte[] EMPTY = new byte[0];

  private final Listener listener;
  private byte[] partial = EMPTY; // bytes after the last line break, perhaps half a character
  private long id = -1;
  private String event = "message";
  private String data;

  SseReader(Listener listener) {
    this.listener = listener;
  }

  /**
   * Lines are cut at their byte {@code \n} before decoding, so a character split across chunks stays
   * whole. The chunk is copied out once: reading a Buffer byte by byte checks bounds and reference
   * count on every byte, which made this loop most of the bench's CPU time under fan-out.
   */
  void feed(Buffer chunk) {
    byte[] bytes = join(partial, chunk.getBytes());
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
        line(new String(bytes, start, end - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    partial = start == bytes.length ? EMPTY : Arrays.copyOfRange(bytes, start, bytes.length);
  }

  private static byte[] join(byte[] head, byte[] tail) {
    if (head.length == 0) {
      return tail;
    }
    byte[] joined = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, joined, head.length, tail.length);
    return joined;
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
