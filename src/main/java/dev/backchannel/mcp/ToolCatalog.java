package dev.backchannel.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tools the MCP endpoint offers, read once from {@code mcp/tools.json}: name, description and
 * the exact JSON Schema of the arguments, which {@link #check} enforces before a tool runs.
 */
public final class ToolCatalog {
  private final ArrayNode tools;
  private final Map<String, JsonNode> schemas = new LinkedHashMap<>();

  private ToolCatalog(ArrayNode tools) {
    this.tools = tools;
    for (JsonNode tool : tools) {
      schemas.put(tool.get("name").asText(), tool.get("inputSchema"));
    }
  }

  public static ToolCatalog load() {
    try (InputStream in = ToolCatalog.class.getResourceAsStream("/mcp/tools.json")) {
      if (in == null) {
        throw new IllegalStateException("mcp/tools.json is missing from the jar");
      }
      return new ToolCatalog((ArrayNode) Loopback.JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ArrayNode tools() {
    return tools.deepCopy();
  }

  boolean has(String name) {
    return schemas.containsKey(name);
  }

  /** Null when the arguments fit the tool's schema, else what is wrong with them. */
  String check(String name, ObjectNode arguments) {
    JsonNode schema = schemas.get(name);
    for (JsonNode required : schema.path("required")) {
      if (!arguments.hasNonNull(required.asText())) {
        return "missing required argument '" + required.asText() + "'";
      }
    }
    JsonNode properties = schema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = arguments.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> argument = it.next();
      JsonNode property = properties.get(argument.getKey());
      if (property == null) {
        return "unknown argument '" + argument.getKey() + "'";
      }
      String problem = checkValue(property, argument.getValue());
      if (problem != null) {
        return "argument '" + argument.getKey() + "' " + problem;
      }
    }
    return null;
  }

  private static String checkValue(JsonNode property, JsonNode value) {
    if (value.isNull()) {
      return null;
    }
    String type = property.path("type").asText();
    boolean fits = switch (type) {
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber() || value.isNumber() && value.asDouble() == Math.rint(value.asDouble());
      case "number" -> value.isNumber();
      case "object" -> value.isObject();
      case "boolean" -> value.isBoolean();
      default -> true;
    };
    if (!fits) {
      return "must be " + (type.equals("integer") ? "an " : "a ") + type;
    }
    if (value.isTextual()) {
      int length = value.asText().codePointCount(0, value.asText().length());
      if (length < property.path("minLength").asInt(0)) {
        return "must not be empty";
      }
      if (property.has("maxLength") && length > property.get("maxLength").asInt()) {
        return "must be at most " + property.get("maxLength").asInt() + " characters";
      }
    }
    if (value.isNumber()) {
      if (property.has("minimum") && value.asDouble() < property.get("minimum").asDouble()) {
        return "must be at least " + property.get("minimum").asText();
      }
      if (property.has("maximum") && value.asDouble() > property.get("maximum").asDouble()) {
        return "must be at most " + property.get("maximum").asText();
      }
    }
    return null;
  }
}
