package dev.backchannel.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backchannel.message.Message;
import dev.backchannel.store.Committed;
import io.vertx.core.buffer.Buffer;

/**
 * One committed change as a hub hands it to its subscribers. The frame and the parsed metadata
 * are computed at most once per event loop, however many connections receive the event.
 */
public final class HubEvent {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Committed change;
  private final FrameEncoder encoder;
  private Buffer frame;
  private JsonNode metadata;

  HubEvent(Committed change, FrameEncoder encoder) {
    this.change = change;
    this.encoder = encoder;
  }

  public Committed change() {
    return change;
  }

  public long seq() {
    return change.seq();
  }

  public Committed.Kind kind() {
    return change.kind();
  }

  /** The message the change is about, or null. */
  public Message message() {
    return change.subject() instanceof Message m ? m : null;
  }

  /** The event's frame, encoded once and shared by every stream it is written to. */
  public Buffer frame() {
    if (frame == null) {
      Buffer encoded = encoder.encode(change);
      frame = encoded == null ? null : SseFrame.shared(encoded);
    }
    return frame;
  }

  /** The message's metadata object, parsed once; empty for other changes. */
  public JsonNode metadata() {
    if (metadata == null) {
      Message message = message();
      metadata = message == null ? JSON.createObjectNode() : parse(message.metadataJson());
    }
    return metadata;
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode();
    }
  }
}
