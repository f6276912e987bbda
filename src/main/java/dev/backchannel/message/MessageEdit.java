package dev.backchannel.message;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A validated request to edit a message: new content, new metadata, or both (null = unchanged).
 */
public record MessageEdit(String content, JsonNode metadata) {}
