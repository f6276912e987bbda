package dev.backchannel.stream;

import io.vertx.core.buffer.Buffer;

/** Where a stream's bytes go: an HTTP response in the server, a recorder in unit tests. */
public interface SseSink {
  /** True when the connection's outbound buffer is over its bound (a slow reader). */
  boolean writeQueueFull();

  void write(Buffer frame);

  /** Calls the handler once when the outbound buffer has drained below its bound. */
  void onDrain(Runnable handler);

  /** Ends the stream cleanly (shutdown, channel deleted). */
  void end();

  /** Drops the connection at once (a slow reader that must not hold memory). */
  void cut();
}
