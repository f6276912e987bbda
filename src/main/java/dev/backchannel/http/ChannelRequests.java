package dev.backchannel.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.channel.Access;
import dev.backchannel.channel.ChannelDraft;
import dev.backchannel.channel.ChannelMode;
import dev.backchannel.channel.ChannelNames;
import dev.backchannel.channel.ChannelPatch;
import dev.backchannel.channel.QueuePolicy;
import dev.backchannel.error.ApiError;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Parses channel create and patch bodies, checking fields in the order of contract §4.2. */
final class ChannelRequests {
  static final int MIN_TTL = 300;
  static final int MAX_TTL = 2_592_000;
  private static final Set<String> PATCHABLE = Set.of("name", "mode", "access", "discoverable", "description",
      "metadata_schema", "pinned_message", "related_channels", "retention_days", "max_messages",
      "max_writes_per_minute", "paused", "max_deliveries", "dead_letter_channel", "max_in_flight");

  private ChannelRequests() {}

  static ChannelDraft draft(Body body) {
    String name = ChannelNames.validate(body.requiredString("name"));
    ChannelMode mode = mode(body.requiredString("mode"));
    Access access = body.has("access") ? access(body.node("access")) : Access.OPEN;
    Boolean discoverable = body.optionalBool("discoverable", ApiError.INVALID_DISCOVERABLE);
    String description = body.optionalText("description", "");
    String schema = schemaJson(body);
    String pinned = body.optionalText("pinned_message", null);
    String webhookUrl = webhookUrl(body.optionalString("webhook_url"));
    String webhookSecret = body.optionalString("webhook_secret");
    Integer ttl = body.optionalInt("ttl_seconds", MIN_TTL, MAX_TTL, ApiError.INVALID_TTL_SECONDS);
    Integer retention = body.optionalInt("retention_days", 1, 365, ApiError.INVALID_RETENTION_DAYS);
    Integer maxMessages = body.optionalInt("max_messages", 1, 1_000_000, ApiError.INVALID_MAX_MESSAGES);
    Integer maxWrites = body.optionalInt("max_writes_per_minute", 1, 1_000_000,
        ApiError.INVALID_MAX_WRITES_PER_MINUTE);
    List<String> related = body.optionalStrings("related_channels", ApiError.INVALID_RELATED_CHANNELS);
    QueuePolicy queue = new QueuePolicy(maxDeliveries(body), body.optionalString("dead_letter_channel"),
        maxInFlight(body));
    return new ChannelDraft(name, mode, access, discoverable, description, schema, pinned, webhookUrl, webhookSecret,
        ttl, retention, maxMessages, maxWrites, related, queue);
  }

  static ChannelPatch patch(Body body) {
    TreeSet<String> unknown = new TreeSet<>(body.fieldNames());
    unknown.removeAll(PATCHABLE);
    if (!unknown.isEmpty()) {
      throw ApiError.INVALID_FIELDS.exception("These fields cannot be changed: " + String.join(", ", unknown))
          .with("fields", List.copyOf(unknown));
    }
    return new ChannelPatch(
        body.has("name") ? ChannelNames.validate(body.requiredString("name")) : null,
        body.has("mode") ? mode(body.requiredString("mode")) : null,
        body.has("access") ? access(body.node("access")) : null,
        body.has("discoverable") ? requiredBool(body, "discoverable", ApiError.INVALID_DISCOVERABLE) : null,
        body.has("description") ? body.optionalText("description", "") : null,
        body.has("metadata_schema") ? schemaJson(body) : null,
        body.has("pinned_message") ? Optional.ofNullable(body.optionalText("pinned_message", null)) : null,
        body.has("related_channels") && !body.node("related_channels").isNull()
            ? body.optionalStrings("related_channels", ApiError.INVALID_RELATED_CHANNELS) : null,
        body.optionalInt("retention_days", 1, 365, ApiError.INVALID_RETENTION_DAYS),
        body.has("max_messages") ? Optional.ofNullable(
            body.optionalInt("max_messages", 1, 1_000_000, ApiError.INVALID_MAX_MESSAGES)) : null,
        body.has("max_writes_per_minute") ? Optional.ofNullable(body.optionalInt("max_writes_per_minute", 1,
            1_000_000, ApiError.INVALID_MAX_WRITES_PER_MINUTE)) : null,
        body.has("paused") ? requiredBool(body, "paused", ApiError.INVALID_PAUSED) : null,
        body.has("max_deliveries") ? Optional.ofNullable(maxDeliveries(body)) : null,
        body.has("dead_letter_channel") ? Optional.ofNullable(body.optionalString("dead_letter_channel")) : null,
        body.has("max_in_flight") ? Optional.ofNullable(maxInFlight(body)) : null);
  }

  private static Integer maxDeliveries(Body body) {
    return body.optionalInt("max_deliveries", 1, 1_000, ApiError.INVALID_MAX_DELIVERIES);
  }

  private static Integer maxInFlight(Body body) {
    return body.optionalInt("max_in_flight", 1, 100_000, ApiError.INVALID_MAX_IN_FLIGHT);
  }

  private static ChannelMode mode(String value) {
    return ChannelMode.parse(value).orElseThrow(() -> ApiError.INVALID_MODE.exception());
  }

  private static Access access(JsonNode value) {
    return Access.parse(value != null && value.isTextual() ? value.asText().strip() : "")
        .orElseThrow(() -> ApiError.INVALID_ACCESS.exception());
  }

  private static Boolean requiredBool(Body body, String field, ApiError error) {
    Boolean value = body.optionalBool(field, error);
    if (value == null) {
      throw error.exception();
    }
    return value;
  }

  private static String schemaJson(Body body) {
    JsonNode schema = body.optionalObject("metadata_schema");
    return schema == null ? "{}" : schema.toString();
  }

  /** §10.2 #16: a webhook target must be an http(s) URL with a host; where it may point is checked on delivery. */
  static String webhookUrl(String url) {
    if (url == null) {
      return null;
    }
    boolean http = url.regionMatches(true, 0, "http://", 0, 7) || url.regionMatches(true, 0, "https://", 0, 8);
    if (!http || !hasHost(url)) {
      throw ApiError.INVALID_WEBHOOK_URL.exception("webhook_url must be an http:// or https:// URL with a host");
    }
    return url;
  }

  private static boolean hasHost(String url) {
    try {
      String host = new URI(url).getHost();
      return host != null && !host.isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
