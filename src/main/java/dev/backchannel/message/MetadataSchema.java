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
  // A pattern with nested quantifiers and a backreference can backtrack for minutes; validation
  // runs inside the single writer, so every pattern check of one message shares this budget.
  static final long PATTERN_BUDGET = 2_000_000;

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
      check(schema, value, "metadata", new Validation(violations, new long[] {PATTERN_BUDGET}));
    }
    return violations;
  }

  /** The violations found so far and what is left of the pattern budget. */
  private record Validation(List<Violation> out, long[] budget) {
    void add(String path, String issue) {
      out.add(new Violation(path, issue));
    }
  }

  private static void check(JsonNode schema, JsonNode value, String path, Validation out) {
    if (!schema.isObject()) {
      return;
    }
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual() && !hasType(value, type.asText())) {
      out.add(path, "expected type '" + type.asText() + "'");
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
      out.add(path, "value must be one of " + allowed);
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

  private static void checkString(JsonNode schema, String text, String path, Validation out) {
    int length = text.codePointCount(0, text.length());
    JsonNode min = schema.get("minLength");
    if (min != null && min.isNumber() && length < min.asLong()) {
      out.add(path, "minLength " + min.asLong());
    }
    JsonNode max = schema.get("maxLength");
    if (max != null && max.isNumber() && length > max.asLong()) {
      out.add(path, "maxLength " + max.asLong());
    }
    JsonNode pattern = schema.get("pattern");
    if (pattern != null && pattern.isTextual()) {
      checkPattern(pattern.asText(), text, path, out);
    }
  }

  private static void checkPattern(String pattern, String text, String path, Validation out) {
    try {
      if (!Pattern.compile(pattern).matcher(new Budgeted(text, out.budget())).find()) {
        out.add(path, "pattern '" + pattern + "' did not match");
      }
    } catch (PatternSyntaxException e) {
      out.add(path, "invalid pattern in schema: " + e.getDescription());
    } catch (Budgeted.Exhausted e) {
      out.add(path, "pattern '" + pattern + "' is too expensive to evaluate");
    } catch (StackOverflowError e) {
      out.add(path, "pattern '" + pattern + "' is too expensive to evaluate");
    }
  }

  private static void checkNumber(JsonNode schema, double number, String path, Validation out) {
    JsonNode min = schema.get("minimum");
    if (min != null && min.isNumber() && number < min.asDouble()) {
      out.add(path, "minimum " + min.numberValue());
    }
    JsonNode max = schema.get("maximum");
    if (max != null && max.isNumber() && number > max.asDouble()) {
      out.add(path, "maximum " + max.numberValue());
    }
  }

  private static void checkObject(JsonNode schema, JsonNode value, String path, Validation out) {
    JsonNode required = schema.get("required");
    if (required != null && required.isArray()) {
      for (JsonNode field : required) {
        if (field.isTextual() && !value.has(field.asText())) {
          out.add(path + "." + field.asText(), "required field missing");
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
        out.add(path + "." + field.getKey(), "additional property not allowed");
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

  /** The text a pattern runs over, counting every character read against a shared budget. */
  private static final class Budgeted implements CharSequence {
    private final CharSequence text;
    private final long[] budget;

    Budgeted(CharSequence text, long[] budget) {
      this.text = text;
      this.budget = budget;
    }

    @Override
    public char charAt(int index) {
      if (--budget[0] < 0) {
        throw new Exhausted();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Budgeted(text.subSequence(start, end), budget);
    }

    @Override
    public String toString() {
      return text.toString();
    }

    /** The budget ran out; thrown out of the regex engine, caught by the pattern check. */
    static final class Exhausted extends RuntimeException {
      Exhausted() {
        super(null, null, false, false);
      }
    }
  }
}
