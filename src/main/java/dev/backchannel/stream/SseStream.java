package dev.backchannel.stream;

import dev.backchannel.ops.Metrics;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every server-sent event stream shares: the preamble, heartbeats when idle, cutting a
 * reader that falls behind instead of buffering for it, and closing exactly once.
 *
 * <p>Event frames sent during a hub pass are held until the pass ends and then written together
 * (one write, the frames gathered, not copied); outside a pass they are written at once.
 */
public abstract class SseStream implements Subscriber {
  protected final Hub hub;
  protected final SseSink sink;
  protected final Metrics metrics;
  private final Runnable onClose;
  private final long heartbeatNanos;
  private long nextHeartbeat;
  private boolean closed;
  private Buffer pending;
  private List<Buffer> morePending;

  protected SseStream(Hub hub, SseSink sink, Duration heartbeat, Metrics metrics, Runnable onClose) {
    this.hub = hub;
    this.sink = sink;
    this.metrics = metrics;
    this.onClose = onClose;
    this.heartbeatNanos = heartbeat.toNanos();
  }

  /** Sends the preamble so clients and proxies see the stream open at once. */
  protected void open() {
    metrics.streamOpened();
    scheduleHeartbeat();
    sink.write(SseFrame.PREAMBLE);
  }

  protected boolean isClosed() {
    return closed;
  }

  /** Writes a frame, or cuts the stream if the reader's write queue is full. */
  protected void write(Buffer frame) {
    if (closed) {
      return;
    }
    if (sink.writeQueueFull()) {
      cutSlow();
      return;
    }
    // The next heartbeat counts from before the write: time read after it could already
    // include a reader's reaction to these bytes, and a heartbeat would be skipped.
    scheduleHeartbeat();
    sink.write(frame);
  }

  /** Sends an event frame and counts it: at the end of the hub's pass if one runs, else now. */
  protected void send(Buffer frame) {
    if (closed) {
      return;
    }
    if (!hub.inPass()) {
      writeEvents(frame, 1);
    } else if (pending == null) {
      pending = frame;
      hub.flushAtEndOfPass(this);
    } else {
      if (morePending == null) {
        morePending = new ArrayList<>(4);
      }
      morePending.add(frame);
    }
  }

  @Override
  public void flush() {
    Buffer frames = pending;
    if (frames == null) {
      return;
    }
    int count = 1;
    if (morePending != null) {
      count += morePending.size();
      frames = gather(frames, morePending);
      morePending = null;
    }
    pending = null;
    writeEvents(frames, count);
  }

  private void writeEvents(Buffer frames, int count) {
    write(frames);
    if (!closed) {
      metrics.eventsSent(count);
    }
  }

  /** One buffer over the frames, which stay shared (each is a read-only slice). */
  private static Buffer gather(Buffer first, List<Buffer> more) {
    CompositeByteBuf all = Unpooled.compositeBuffer(more.size() + 1);
    all.addComponent(true, ((BufferInternal) first).getByteBuf());
    for (Buffer frame : more) {
      all.addComponent(true, ((BufferInternal) frame).getByteBuf());
    }
    return BufferInternal.buffer(all);
  }

  @Override
  public void tick(long nanoTime) {
    if (!closed && nanoTime - nextHeartbeat >= 0) {
      write(heartbeatFrame());
    }
  }

  /** What an idle stream sends to show it is alive: a comment line, unless a stream says otherwise. */
  protected Buffer heartbeatFrame() {
    return SseFrame.HEARTBEAT;
  }

  private void scheduleHeartbeat() {
    nextHeartbeat = hub.now() + heartbeatNanos;
  }

  @Override
  public void shutdown() {
    if (close()) {
      sink.end();
    }
  }

  /** The connection went away (client closed, network error). */
  public void closed() {
    close();
  }

  protected void cutSlow() {
    if (close()) {
      metrics.streamCutSlow();
      sink.cut();
    }
  }

  private boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    pending = null;
    morePending = null;
    onClosed();
    metrics.streamClosed();
    onClose.run();
    return true;
  }

  /** Releases what the stream holds (hub subscription, buffers). */
  protected abstract void onClosed();
}
