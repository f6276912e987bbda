package dev.backchannel.http;

import dev.backchannel.message.Message;
import dev.backchannel.store.Committed;
import dev.backchannel.stream.FrameEncoder;
import dev.backchannel.stream.SseFrame;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;

/** SSE frames in the API's JSON shapes: {@code id: <seq>}, {@code event: <name>}, the message as data. */
final class WireFrames implements FrameEncoder {
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

  private String json(Message message) {
    return Responses.encode(Wire.message(message, clock.instant())).toString();
  }
}
