package dev.backchannel.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the small JSON arrays that queries aggregate with {@code json_group_array}. */
final class SqlJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SqlJson() {}

  static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json == null ? "[]" : json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable", e);
    }
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be written as JSON", e);
    }
  }

  static Map<String, Object> map(String json) {
    try {
      return MAPPER.readValue(json == null ? "{}" : json, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable", e);
    }
  }

  /** A JSON array of strings, sorted ascending. */
  static List<String> sortedStrings(String json) {
    List<String> out = new ArrayList<>();
    tree(json).forEach(node -> {
      if (!node.isNull()) {
        out.add(node.asText());
      }
    });
    out.sort(null);
    return out;
  }
}
