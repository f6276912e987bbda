package dev.backchannel.stream;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/** Encodes server-sent events (WHATWG HTML §9.2): id, event, data lines, blank line. */
public final class SseFrame {
  /** Sent first so proxies and clients see the stream open at once; clients retry after 2 s. */
  public static final Buffer PREAMBLE = Buffer.buffer("retry: 2000\n: open\n\n");
  public static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");

  private SseFrame() {}

  public static Buffer of(long id, String event, String data) {
    StringBuilder out = new StringBuilder(data.length() + 48);
    if (id > 0) {
      out.append("id: ").append(id).append('\n');
    }
    out.append("event: ").append(event).append('\n');
    // A line break inside data would end the field: each line gets its own "data:" prefix.
    int start = 0;
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (c == '\n' || c == '\r') {
        out.append("data: ").append(data, start, i).append('\n');
        if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    out.append("data: ").append(data, start, data.length()).append("\n\n");
    return Buffer.buffer(out.toString());
  }

  /**
   * The frame in memory outside the heap, for writing to many connections: each write takes a
   * read-only slice of it, and the socket sends it from there without copying it first (a heap
   * buffer is copied once per connection on its way out). The memory is freed with the buffer.
   */
  public static Buffer shared(Buffer frame) {
    ByteBuffer direct = ByteBuffer.allocateDirect(frame.length());
    ((BufferInternal) frame).getByteBuf().getBytes(0, direct);
    direct.flip();
    return BufferInternal.buffer(Unpooled.wrappedBuffer(direct));
  }
}
