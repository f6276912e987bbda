package dev.backchannel.store.postgres;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.agent.AgentEvent;
import dev.backchannel.agent.Subscription;
import dev.backchannel.channel.Channel;
import dev.backchannel.message.Message;
import dev.backchannel.store.Committed;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The serial form of committed events in the commit log, so other nodes can hand them to their
 * streams and caches as if they had committed them. Each kind has one subject type; records are
 * written field by field (their components, nothing derived) and times as ISO-8601 instants.
 */
final class CommitLogCodec {
  private static final ObjectMapper JSON = mapper();

  private CommitLogCodec() {}

  private static ObjectMapper mapper() {
    SimpleModule instants = new SimpleModule()
        .addSerializer(Instant.class, new JsonSerializer<>() {
          @Override
          public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
          }
        })
        .addDeserializer(Instant.class, new JsonDeserializer<>() {
          @Override
          public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return Instant.parse(parser.getValueAsString());
          }
        });
    return new ObjectMapper()
        .registerModule(instants)
        .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
        .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  }

  /** The subject type every event of {@code kind} carries (null: none). */
  static Class<?> subjectType(Committed.Kind kind) {
    return switch (kind) {
      case MESSAGE_POSTED, MESSAGE_CLAIMED, MESSAGE_RELEASED, MESSAGE_ACKED, MESSAGE_RETRACTED, MESSAGE_EDITED,
          MESSAGE_EXPIRED, MESSAGE_DEAD_LETTERED, LEASE_RENEWED -> Message.class;
      case MENTIONED -> AgentEvent.class;
      case SUBSCRIBED, UNSUBSCRIBED -> Subscription.class;
      case CHANNEL_CHANGED, CHANNEL_DELETED, ACCESS_RESTRICTED -> Channel.class;
      case MEMBER_REMOVED, KEY_REVOKED, KEY_CHANGED, MINTING_CHANGED -> String.class;
      case DIRECTORY_CHANGED, LIVE_GAP -> null;
    };
  }

  static String encode(List<Committed> events) {
    ArrayNode array = JSON.createArrayNode();
    for (Committed event : events) {
      Class<?> type = subjectType(event.kind());
      if (event.subject() != null && (type == null || !type.isInstance(event.subject()))) {
        throw new IllegalArgumentException(event.kind() + " carries a " + event.subject().getClass().getSimpleName());
      }
      ObjectNode node = array.addObject();
      node.put("kind", event.kind().name());
      node.put("channel_id", event.channelId());
      node.put("seq", event.seq());
      node.set("subject", JSON.valueToTree(event.subject()));
    }
    try {
      return JSON.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("committed events cannot be written as JSON", e);
    }
  }

  private static Committed.Kind kind(String name) {
    for (Committed.Kind kind : Committed.Kind.values()) {
      if (kind.name().equals(name)) {
        return kind;
      }
    }
    return null;
  }

  /** The events of a log row; kinds this server does not know are left out. */
  static List<Committed> decode(String text) {
    try {
      JsonNode array = JSON.readTree(text);
      List<Committed> events = new ArrayList<>(array.size());
      for (JsonNode node : array) {
        Committed.Kind kind = kind(node.get("kind").asText());
        if (kind == null) {
          continue; // logged by a newer server during a rolling upgrade: nothing this one acts on
        }
        JsonNode channel = node.get("channel_id");
        JsonNode subject = node.get("subject");
        Class<?> type = subjectType(kind);
        events.add(new Committed(kind, channel.isNull() ? null : channel.asText(), node.get("seq").asLong(),
            type == null || subject.isNull() ? null : JSON.treeToValue(subject, type)));
      }
      return events;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable commit log entry: " + e.getMessage(), e);
    }
  }
}
