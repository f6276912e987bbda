package dev.backchannel.stream;

/** A live consumer of committed changes on one event loop: an SSE stream or a wake feed. */
public interface Subscriber {
  void onEvent(HubEvent event);

  /** Called about once a second with a monotonic time; writes a heartbeat when one is due. */
  void tick(long nanoTime);

  /** Writes what the events of the hub's pass left pending, in one write. */
  void flush();

  /** The server is stopping: end the stream cleanly so the client reconnects elsewhere. */
  void shutdown();
}
