package dev.backchannel.message;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A validated request to post a message.
 *
 * @param metadata the metadata object (never null)
 * @param actor id or alias of the posting actor, or null
 * @param mentions ids or aliases of mentioned actors
 * @param priority 0 to 9 (extensions §4)
 * @param delay how long to keep the message invisible, or null
 * @param deliverAt when to make it visible, or null (at most one of delay and deliverAt)
 */
public record MessageDraft(String content, JsonNode metadata, String actor, String actorLabel, List<String> mentions,
    int priority, Duration delay, Instant deliverAt) {

  public static MessageDraft of(String content, JsonNode metadata, String actorLabel) {
    return new MessageDraft(content, metadata, null, actorLabel, List.of(), QueueState.DEFAULT_PRIORITY, null, null);
  }
}
