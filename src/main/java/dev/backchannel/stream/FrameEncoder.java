package dev.backchannel.stream;

import dev.backchannel.message.Message;
import dev.backchannel.store.Committed;
import io.vertx.core.buffer.Buffer;

/** Renders committed changes as SSE frames, in the API's JSON shapes (supplied by the HTTP layer). */
public interface FrameEncoder {
  /** The frame of a committed change, or null when it has no frame (not a message event). */
  Buffer encode(Committed change);

  /** The frame of a stored message replayed from the backlog. */
  Buffer message(Message message);
}
