package dev.backchannel.stream;

import dev.backchannel.ops.Metrics;
import dev.backchannel.time.Ticker;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * What every server-sent event stream shares: the preamble, heartbeats when idle, cutting a
 * reader that falls behind instead of buffering for it, and closing exactly once.
 */
public abstract class SseStream implements Subscriber {
  protected final SseSink sink;
  protected final Metrics metrics;
  private final Runnable onClose;
  private final long heartbeatNanos;
  private final Ticker ticker;
  private long nextHeartbeat;
  private boolean closed;

  protected SseStream(SseSink sink, Duration heartbeat, Ticker ticker, Metrics metrics, Runnable onClose) {
    this.sink = sink;
    this.metrics = metrics;
    this.onClose = onClose;
    this.heartbeatNanos = heartbeat.toNanos();
    this.ticker = ticker;
  }

  /** Sends the preamble so clients and proxies see the stream open at once. */
  protected void open() {
    metrics.streamOpened();
    sink.write(SseFrame.PREAMBLE);
    scheduleHeartbeat();
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
    sink.write(frame);
    scheduleHeartbeat();
  }

  /** Writes an event frame and counts it. */
  protected void send(Buffer frame) {
    write(frame);
    if (!closed) {
      metrics.eventsSent(1);
    }
  }

  @Override
  public void tick(long nanoTime) {
    if (!closed && nanoTime - nextHeartbeat >= 0) {
      write(SseFrame.HEARTBEAT);
    }
  }

  private void scheduleHeartbeat() {
    nextHeartbeat = ticker.nanos() + heartbeatNanos;
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
    onClosed();
    metrics.streamClosed();
    onClose.run();
    return true;
  }

  /** Releases what the stream holds (hub subscription, buffers). */
  protected abstract void onClosed();
}
