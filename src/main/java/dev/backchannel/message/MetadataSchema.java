package dev.backchannel.message;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The JSON-Schema subset a channel may impose on message metadata (contract §5.12): type,
 * minLength/maxLength, pattern, minimum/maximum, enum, required, properties and
 * additionalProperties. A schema with none of these keywords accepts everything.
 */
public final class MetadataSchema {
  private MetadataSchema() {}

  /** One failed rule, at a path such as {@code metadata.priority}. */
  public record Violation(String field, String issue) {
    public Map<String, Object> asMap() {
      return Map.of("field", field, "issue", issue);
    }
  }

  public static List<Violation> validate(JsonNode schema, JsonNode value) {
    List<Violation> violations = new ArrayList<>();
    if (schema != null && schema.isObject() && !schema.isEmpty()) {
      check(schema, value, "metadata", violations);
    }
    return violations;
  }

  private static void check(JsonNode schema, JsonNode value, String path, List<Violation> out) {
    if (!schema.isObject()) {
      return;
    }
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual() && !hasType(value, type.asText())) {
      out.add(new Violation(path, "expected type '" + type.asText() + "'"));
      return;
    }
    if (value.isTextual()) {
      checkString(schema, value.asText(), path, out);
    }
    if (value.isNumber()) {
      checkNumber(schema, value.asDouble(), path, out);
    }
    JsonNode allowed = schema.get("enum");
    if (allowed != null && allowed.isArray() && !contains(allowed, value)) {
      out.add(new Violation(path, "value must be one of " + allowed));
    }
    if (value.isObject() && (type == null || "object".equals(type.asText()))) {
      checkObject(schema, value, path, out);
    }
  }

  /** §10.2 #22: booleans are not integers or numbers here. */
  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "string" -> value.isTextual();
      case "number" -> value.isNumber();
      case "integer" -> value.isIntegralNumber()
          || (value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble()));
      case "boolean" -> value.isBoolean();
      case "array" -> value.isArray();
      case "object" -> value.isObject();
      case "null" -> value.isNull();
      default -> true;
    };
  }

  private static void checkString(JsonNode schema, String text, String path, List<Violation> out) {
    int length = text.codePointCount(0, text.length());
    JsonNode min = schema.get("minLength");
    if (min != null && min.isNumber() && length < min.asLong()) {
      out.add(new Violation(path, "minLength " + min.asLong()));
    }
    JsonNode max = schema.get("maxLength");
    if (max != null && max.isNumber() && length > max.asLong()) {
      out.add(new Violation(path, "maxLength " + max.asLong()));
    }
    JsonNode pattern = schema.get("pattern");
    if (pattern != null && pattern.isTextual()) {
      try {
        if (!Pattern.compile(pattern.asText()).matcher(text).find()) {
          out.add(new Violation(path, "pattern '" + pattern.asText() + "' did not match"));
        }
      } catch (PatternSyntaxException e) {
        out.add(new Violation(path, "invalid pattern in schema: " + e.getDescription()));
      }
    }
  }

  private static void checkNumber(JsonNode schema, double number, String path, List<Violation> out) {
    JsonNode min = schema.get("minimum");
    if (min != null && min.isNumber() && number < min.asDouble()) {
      out.add(new Violation(path, "minimum " + min.numberValue()));
    }
    JsonNode max = schema.get("maximum");
    if (max != null && max.isNumber() && number > max.asDouble()) {
      out.add(new Violation(path, "maximum " + max.numberValue()));
    }
  }

  private static void checkObject(JsonNode schema, JsonNode value, String path, List<Violation> out) {
    JsonNode required = schema.get("required");
    if (required != null && required.isArray()) {
      for (JsonNode field : required) {
        if (field.isTextual() && !value.has(field.asText())) {
          out.add(new Violation(path + "." + field.asText(), "required field missing"));
        }
      }
    }
    JsonNode properties = schema.get("properties");
    boolean closed = schema.has("additionalProperties") && schema.get("additionalProperties").isBoolean()
        && !schema.get("additionalProperties").asBoolean();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode fieldSchema = properties != null && properties.isObject() ? properties.get(field.getKey()) : null;
      if (fieldSchema != null) {
        check(fieldSchema, field.getValue(), path + "." + field.getKey(), out);
      } else if (closed) {
        out.add(new Violation(path + "." + field.getKey(), "additional property not allowed"));
      }
    }
  }

  private static boolean contains(JsonNode array, JsonNode value) {
    for (JsonNode candidate : array) {
      if (candidate.equals(value)
          || (candidate.isNumber() && value.isNumber() && candidate.asDouble() == value.asDouble())) {
        return true;
      }
    }
    return false;
  }
}
