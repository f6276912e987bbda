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
  private static final byte[] ID = ascii("id:");
  private static final byte[] EVENT = ascii("event:");
  private static final byte[] DATA = ascii("data:");
  private static final String MESSAGE = "message";
  private static final byte[] MESSAGE_BYTES = ascii(MESSAGE);

  private final Listener listener;
  private byte[] partial = EMPTY; // bytes after the last line break, perhaps half a character
  private long id = -1;
  private String event = MESSAGE;
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
        line(bytes, start, end);
        start = i + 1;
      }
    }
    partial = start == bytes.length ? EMPTY : Arrays.copyOfRange(bytes, start, bytes.length);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] join(byte[] head, byte[] tail) {
    if (head.length == 0) {
      return tail;
    }
    byte[] joined = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, joined, head.length, tail.length);
    return joined;
  }

  /** Only data is decoded: ids are read from the bytes, and the usual event name is a constant. */
  private void line(byte[] bytes, int from, int to) {
    if (from == to) {
      if (data != null) {
        listener.onEvent(id, event, data);
      }
      id = -1;
      event = MESSAGE;
      data = null;
    } else if (startsWith(bytes, from, to, ID)) {
      id = parseLong(bytes, skipSpaces(bytes, from + ID.length, to), to);
    } else if (startsWith(bytes, from, to, EVENT)) {
      int name = skipSpaces(bytes, from + EVENT.length, to);
      event = Arrays.equals(bytes, name, to, MESSAGE_BYTES, 0, MESSAGE_BYTES.length) ? MESSAGE
          : new String(bytes, name, to - name, StandardCharsets.UTF_8).strip();
    } else if (startsWith(bytes, from, to, DATA)) {
      int value = from + DATA.length;
      value += value < to && bytes[value] == ' ' ? 1 : 0;
      String line = new String(bytes, value, to - value, StandardCharsets.UTF_8);
      data = data == null ? line : data + "\n" + line;
    }
  }

  private static boolean startsWith(byte[] bytes, int from, int to, byte[] prefix) {
    return to - from >= prefix.length && Arrays.equals(bytes, from, from + prefix.length, prefix, 0, prefix.length);
  }

  private static int skipSpaces(byte[] bytes, int from, int to) {
    while (from < to && bytes[from] == ' ') {
      from++;
    }
    return from;
  }

  private static long parseLong(byte[] bytes, int from, int to) {
    while (to > from && bytes[to - 1] == ' ') {
      to--;
    }
    if (from == to) {
      throw new NumberFormatException("an empty id");
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        throw new NumberFormatException("not an id: " + new String(bytes, from, to - from, StandardCharsets.UTF_8));
      }
      value = Math.multiplyExact(value, 10) + digit;
    }
    return value;
  }
}
