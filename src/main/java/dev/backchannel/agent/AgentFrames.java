package dev.backchannel.agent;

import dev.backchannel.message.Message;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;

/** Renders wake-feed events as SSE frames in the API's JSON shapes (supplied by the HTTP layer). */
public interface AgentFrames {
  Buffer event(AgentEvent event);

  /** Not resumable: sent without an id. */
  Buffer leaseExpiring(Message message, Instant leaseExpiresAt);
}
