package dev.backchannel.message;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A validated request to post a message.
 *
 * @param metadata the metadata object (never null)
 * @param actor id or alias of the posting actor, or null
 * @param mentions ids or aliases of mentioned actors
 */
public record MessageDraft(String content, JsonNode metadata, String actor, String actorLabel, List<String> mentions) {}
