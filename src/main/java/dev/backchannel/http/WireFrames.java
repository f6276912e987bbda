package dev.backchannel.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.agent.AgentEvent;
import dev.backchannel.agent.AgentFrames;
import dev.backchannel.message.Message;
import dev.backchannel.store.Committed;
import dev.backchannel.stream.FrameEncoder;
import dev.backchannel.stream.SseFrame;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Instant;

/** SSE frames in the API's JSON shapes: {@code id: <seq>}, {@code event: <name>}, the message as data. */
final class WireFrames implements FrameEncoder, AgentFrames {
  private final Clock clock;

  WireFrames(Clock clock) {
    this.clock = clock;
  }

  /** The event name of each change a stream can carry (extensions §2). */
  static String eventName(Committed.Kind kind) {
    return switch (kind) {
      case MESSAGE_POSTED -> "message";
      case MESSAGE_CLAIMED -> "claimed";
      case MESSAGE_RELEASED -> "released";
      case MESSAGE_ACKED -> "acked";
      case MESSAGE_EXPIRED -> "expired";
      case MESSAGE_RETRACTED -> "retracted";
      case MESSAGE_EDITED -> "edited";
      default -> null;
    };
  }

  @Override
  public Buffer encode(Committed change) {
    String event = eventName(change.kind());
    if (event == null || !(change.subject() instanceof Message message)) {
      return null;
    }
    return SseFrame.of(change.seq(), event, json(message));
  }

  @Override
  public Buffer message(Message message) {
    return SseFrame.of(message.seq(), "message", json(message));
  }

  @Override
  public Buffer event(AgentEvent event) {
    return SseFrame.of(event.seq(), event.type(), Responses.encode(Wire.agentEvent(event, clock.instant())).toString());
  }

  @Override
  public Buffer leaseExpiring(Message message, Instant leaseExpiresAt) {
    ObjectNode data = Wire.object();
    data.put("message_id", message.id());
    data.put("channel_id", message.channelId());
    data.put("lease_token", message.leaseToken());
    data.put("lease_expires_at", Wire.time(leaseExpiresAt));
    return SseFrame.of(0, "lease_expiring", Responses.encode(data).toString());
  }

  private String json(Message message) {
    return Responses.encode(Wire.message(message, clock.instant())).toString();
  }
}
