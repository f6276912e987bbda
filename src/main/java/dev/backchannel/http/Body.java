package dev.backchannel.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body parsed as a JSON object, with the contract's field rules (§1.2, §4.0): the
 * "string rule", optional objects, bounded integers, booleans. An empty body is {@code {}}.
 */
public final class Body {
  /** §10.2 #15: a cap on metadata objects, well below the body cap, so rows stay small. */
  public static final int MAX_METADATA_BYTES = 64 * 1024;
  private static final int MAX_DEPTH = 64;
  static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final ObjectNode root;

  private Body(ObjectNode root) {
    this.root = root;
  }

  public static Body parse(Buffer buffer) {
    if (buffer == null || buffer.length() == 0 || isBlank(buffer)) {
      return new Body(JSON.createObjectNode());
    }
    JsonNode node;
    try {
      node = JSON.readTree(buffer.getBytes());
    } catch (JsonProcessingException e) {
      throw ApiError.INVALID_JSON.exception("Request body is not valid JSON: " + summary(e));
    } catch (IOException e) {
      throw ApiError.INVALID_JSON.exception("Request body is not valid JSON");
    }
    if (node == null || node.isMissingNode()) {
      return new Body(JSON.createObjectNode());
    }
    if (!node.isObject()) {
      throw ApiError.INVALID_JSON_SHAPE.exception("Request body must be a JSON object");
    }
    return new Body((ObjectNode) node);
  }

  private static boolean isBlank(Buffer buffer) {
    for (int i = 0; i < buffer.length(); i++) {
      byte b = buffer.getByte(i);
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private static String summary(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      return "parse error";
    }
    message = message.replaceAll("[\\p{Cntrl}]", " ");
    return message.length() > 160 ? message.substring(0, 160) + "…" : message;
  }

  public ObjectNode root() {
    return root;
  }

  public boolean has(String field) {
    return root.has(field);
  }

  public boolean isEmpty() {
    return root.isEmpty();
  }

  public JsonNode node(String field) {
    return root.get(field);
  }

  public List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    root.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Required, non-blank string, returned trimmed; missing → {@code missing_field}, else {@code invalid_string}. */
  public String requiredString(String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      throw missing(field);
    }
    return checkedString(field, value);
  }

  /**
   * Required string where an explicit {@code null} is a wrong value, not a missing one: absent →
   * {@code missing_field}; null, not a string or blank → {@code invalid_string} (message content,
   * as the original answers).
   */
  public String presentString(String field) {
    JsonNode value = root.get(field);
    if (value == null) {
      throw missing(field);
    }
    return checkedString(field, value);
  }

  /** Optional string: absent or null → null; present must be a non-blank string, returned trimmed. */
  public String optionalString(String field) {
    JsonNode value = root.get(field);
    return value == null || value.isNull() ? null : checkedString(field, value);
  }

  /**
   * Optional free text where an empty string means "none" (§10.2 #7): absent, null, "" → the
   * fallback; anything else must be a string, returned trimmed.
   */
  public String optionalText(String field, String fallback) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw invalidString(field);
    }
    String text = value.asText().strip();
    return text.isEmpty() ? fallback : text;
  }

  private static String checkedString(String field, JsonNode value) {
    if (!value.isTextual() || value.asText().isBlank()) {
      throw invalidString(field);
    }
    return value.asText().strip();
  }

  /** Optional JSON object; absent or null → null; anything else → {@code invalid_object}. */
  public ObjectNode optionalObject(String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw ApiError.INVALID_OBJECT.exception("'" + field + "' must be a JSON object");
    }
    return (ObjectNode) value;
  }

  /** The nested object {@code field} read as a body of its own, or null when absent. */
  public Body optionalBody(String field) {
    ObjectNode value = optionalObject(field);
    return value == null ? null : new Body(value);
  }

  public ObjectNode objectOrEmpty(String field) {
    ObjectNode value = optionalObject(field);
    return value == null ? JSON.createObjectNode() : value;
  }

  /**
   * The optional {@code metadata} object ({@code {}} when absent); its JSON text may be at most
   * {@link #MAX_METADATA_BYTES}, else 422 {@code metadata_too_large}.
   */
  public ObjectNode metadata() {
    ObjectNode metadata = objectOrEmpty("metadata");
    int bytes;
    try {
      bytes = JSON.writeValueAsBytes(metadata).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed object cannot be written back", e);
    }
    if (bytes > MAX_METADATA_BYTES) {
      throw ApiError.METADATA_TOO_LARGE.exception("metadata is " + bytes + " bytes; this server accepts at most "
          + MAX_METADATA_BYTES).with("max_metadata_bytes", MAX_METADATA_BYTES).with("received_bytes", bytes);
    }
    return metadata;
  }

  /** Optional integer in [min, max]; floats, strings and booleans are rejected with {@code error}. */
  public Integer optionalInt(String field, int min, int max, ApiError error) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
      throw error.exception();
    }
    return (int) value.asLong();
  }

  /** Optional non-negative integer that may exceed 32 bits (fences, sequence numbers). */
  public Long optionalLong(String field, ApiError error) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
      throw error.exception();
    }
    return value.asLong();
  }

  /** Optional boolean; anything but a JSON boolean (null counts as absent) → {@code error}. */
  public Boolean optionalBool(String field, ApiError error) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw error.exception();
    }
    return value.asBoolean();
  }

  /** Optional number of seconds (integer or decimal), for {@code wait}; null when absent. */
  public Double optionalSeconds(String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return value.asDouble();
    }
    if (value.isTextual()) {
      return Query.seconds(value.asText());
    }
    throw ApiError.INVALID_WAIT.exception();
  }

  /** Optional array of non-blank strings; null items are skipped. */
  public List<String> optionalStrings(String field, ApiError notArray) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw notArray.exception();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (item.isNull()) {
        continue;
      }
      out.add(checkedString(field, item));
    }
    return out;
  }

  public static ApiException missing(String field) {
    return ApiError.MISSING_FIELD.exception("'" + field + "' is required");
  }

  public static ApiException invalidString(String field) {
    return ApiError.INVALID_STRING.exception("'" + field + "' must be a non-empty string");
  }
}
