package dev.backchannel.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import dev.backchannel.message.MessageDraft;
import dev.backchannel.message.MessageEdit;
import dev.backchannel.message.QueueState;
import dev.backchannel.time.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Parses message and claim bodies in the field order of contract §4.6–4.7. */
final class MessageRequests {
  static final int MIN_LEASE = 30;
  static final int MAX_LEASE = 3600;
  static final int DEFAULT_LEASE = 300;
  static final int MAX_DELAY_SECONDS = 2_592_000;
  private static final Set<String> EDITABLE = Set.of("content", "metadata");

  private MessageRequests() {}

  static MessageDraft draft(Body body, int maxContentBytes) {
    String content = content(body, maxContentBytes);
    JsonNode metadata = body.metadata();
    String actorLabel = body.optionalText("actor_label", null);
    String actor = body.optionalString("actor");
    List<String> mentions = body.optionalStrings("mentions", ApiError.INVALID_MENTIONS);
    Integer priority = body.optionalInt("priority", 0, 9, ApiError.INVALID_PRIORITY);
    Integer delay = body.optionalInt("delay_seconds", 0, MAX_DELAY_SECONDS, ApiError.INVALID_DELAY);
    Instant deliverAt = deliverAt(body);
    if (delay != null && deliverAt != null) {
      throw ApiError.INVALID_DELAY.exception("Give delay_seconds or deliver_at, not both");
    }
    return new MessageDraft(content, metadata, actor, actorLabel, mentions,
        priority == null ? QueueState.DEFAULT_PRIORITY : priority, delay == null ? null : Duration.ofSeconds(delay),
        deliverAt);
  }

  /** {@code PATCH /v1/messages/{id}}: {@code content} and/or {@code metadata}, nothing else. */
  static MessageEdit edit(Body body, int maxContentBytes) {
    TreeSet<String> unknown = new TreeSet<>(body.fieldNames());
    unknown.removeAll(EDITABLE);
    if (!unknown.isEmpty()) {
      throw ApiError.INVALID_FIELDS.exception("These fields cannot be edited: " + String.join(", ", unknown))
          .with("fields", List.copyOf(unknown));
    }
    String content = body.has("content") ? content(body, maxContentBytes) : null;
    JsonNode metadata = body.has("metadata") ? body.metadata() : null;
    if (content == null && metadata == null) {
      throw ApiError.MISSING_FIELD.exception("Give 'content', 'metadata' or both");
    }
    return new MessageEdit(content, metadata);
  }

  /** The string rule, then the size cap on the trimmed UTF-8 bytes (contract §4.6). */
  private static String content(Body body, int maxContentBytes) {
    String content = body.presentString("content");
    int bytes = content.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxContentBytes) {
      throw new ApiException(ApiError.CONTENT_TOO_LARGE,
          "content is " + bytes + " bytes; this server accepts at most " + maxContentBytes,
          Map.of("max_content_bytes", maxContentBytes, "received_bytes", bytes));
    }
    return content;
  }

  private static Instant deliverAt(Body body) {
    JsonNode value = body.node("deliver_at");
    if (value == null || value.isNull()) {
      return null;
    }
    return Timestamps.parse(value.isTextual() ? value.asText() : "")
        .orElseThrow(() -> ApiError.INVALID_DELAY.exception("deliver_at must be an ISO-8601 timestamp"));
  }

  static String actor(Body body) {
    return body.optionalString("actor");
  }

  /** The optional {@code metadata} object as JSON text ({@code {}} when absent). */
  static String metadataJson(Body body) {
    return body.metadata().toString();
  }

  /** The claim's fence number, when the caller sends one (extensions §4). */
  static Long fence(Body body) {
    return body.optionalLong("fence", ApiError.INVALID_FENCE);
  }

  static Duration leaseTime(Body body) {
    Integer seconds = body.optionalInt("lease_seconds", MIN_LEASE, MAX_LEASE, ApiError.INVALID_LEASE_SECONDS);
    return Duration.ofSeconds(seconds == null ? DEFAULT_LEASE : seconds);
  }
}
