package dev.backchannel.http;

import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.backchannel.message.Message;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages as JSON, rendered once and reused. A message is read far more often than it changes
 * (every poll page, every post's answer, every claim), and rendering is most of what a page
 * costs. The entry for a seq is used only if the message is still equal to the one it was made
 * from, so a claim, ack or release (a different {@link Message}) is never answered stale, and no
 * invalidation is needed. Only the rendering of a live message ({@code active: true}) is kept.
 */
final class MessageJson {
  private static final int MAX_ENTRIES = 20_000;
  private static final Map<Long, Entry> RENDERED = new ConcurrentHashMap<>();

  private MessageJson() {}

  private record Entry(Message message, JsonNode json) {}

  /** The message as {@link Wire#message} renders it, as a node that writes the stored bytes. */
  static JsonNode of(Message message, Instant now) {
    if (!message.expiresAt().isAfter(now)) {
      return Wire.message(message, now);
    }
    Entry entry = RENDERED.get(message.seq());
    if (entry != null && entry.message.equals(message)) {
      return entry.json;
    }
    JsonNode json = new POJONode(new RawValue(new SerializedString(Wire.message(message, now).toString())));
    if (RENDERED.size() >= MAX_ENTRIES) {
      RENDERED.clear();
    }
    RENDERED.put(message.seq(), new Entry(message, json));
    return json;
  }
}
