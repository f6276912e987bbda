package dev.backchannel.reliability;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Generators of malformed and hostile request parts for {@link BadInputFuzzTest}: broken and
 * deeply nested JSON, numbers no field accepts, values of the wrong type for every field,
 * invalid UTF-8, control characters, and names that try SQL or path tricks. All choices come
 * from the given {@link Random}, so a seed replays them.
 */
final class HostileInput {
  /** Every body field the routes read (from openapi.json's request bodies, plus a few more). */
  static final List<String> FIELDS = List.of("access", "actor", "actor_label", "agent_label", "alias", "channel",
      "channels", "content", "dead_letter_channel", "delay_seconds", "deliver_at", "description", "discoverable",
      "enabled", "fence", "key_id", "lease_seconds", "limit", "match", "max_deliveries", "max_in_flight",
      "max_messages", "max_writes_per_minute", "mention_id", "mention_ids", "mentions", "message_id", "metadata",
      "metadata_schema", "mode", "name", "path", "paused", "pinned_message", "priority", "reason", "related_channels",
      "retention_days", "scopes", "secret", "since", "state", "to", "ttl_seconds", "up_to", "url", "wait",
      "webhook_secret", "webhook_url", "events", "heartbeat", "result", "status", "expires_in_seconds");

  static final List<String> TRICKS = List.of("'; DROP TABLE messages;--", "\" OR 1=1 --", "Robert'); DELETE FROM keys;--",
      "../../../etc/passwd", "..\\..\\windows", "%2e%2e%2f", "%00", "\u0000", "a\u0000b", "\u202eevil", "${jndi:ldap://x}",
      "{{7*7}}", "<script>alert(1)</script>", "\r\nX-Injected: 1", "\uFEFF", "\uD83D\uDE00", "ȧ̶̛", "NaN", "null", "",
      " ", "*", "%", "_", "\\", "/", "?", "#", "..", ".");

  private static final List<String> NUMBERS = List.of("1e400", "-1e400", "9223372036854775808", "-9223372036854775809",
      "18446744073709551616", "-0", "0.0000000000000000000001", "1e-400", "123456789012345678901234567890", "-1", "0",
      "2147483648", "4.5", "1E3", "0x10", "NaN", "Infinity", "-Infinity", "01", "+1", ".5", "1.", "1e", "--1");

  private static final List<String> BROKEN_JSON = List.of("{", "}", "[", "{\"a\":}", "{\"a\" 1}", "{'a': 1}",
      "{\"a\":1,}", "[1,2,]", "{\"content\": \"x\"", "{\"content\": x}", "/* c */ {}", "{\"a\":1} trailing",
      "{}{}", "\"just a string\"", "42", "true", "null", "[]", "{\"a\":\"\\u12\"}", "{\"a\":\"\\x41\"}",
      "{\"a\":\"unterminated}", "\u0000", "", " ", "{\"content\":\"a\"\u0000}", "{\"\":1}", "[[[[", "{\"a\":tru}");

  private HostileInput() {}

  /** A value of some JSON type, usually the wrong one for whatever field it lands in. */
  static String wrongValue(Random random) {
    return switch (random.nextInt(14)) {
      case 0 -> "null";
      case 1 -> random.nextBoolean() ? "true" : "false";
      case 2 -> pick(random, NUMBERS);
      case 3 -> "[]";
      case 4 -> "{}";
      case 5 -> "[1, \"two\", null, {}]";
      case 6 -> "{\"nested\": {\"deeper\": [1, 2, 3]}}";
      case 7 -> quote(pick(random, TRICKS));
      case 8 -> quote("x".repeat(1 + random.nextInt(70_000)));
      case 9 -> quote(controlCharacters(random));
      case 10 -> deepArray(1 + random.nextInt(10_000));
      case 11 -> "\"" + "\\u0000".repeat(1 + random.nextInt(5)) + "\"";
      case 12 -> Long.toString(random.nextLong());
      default -> quote(Double.toString(random.nextDouble() * 1e6));
    };
  }

  /** A JSON object of a few fields, each with a wrong or hostile value; keys may repeat. */
  static String objectBody(Random random) {
    StringBuilder body = new StringBuilder("{");
    int fields = random.nextInt(5);
    for (int i = 0; i < fields; i++) {
      String name = random.nextInt(10) == 0 ? pick(random, TRICKS) : pick(random, FIELDS);
      body.append(i == 0 ? "" : ",").append(quote(name)).append(':').append(wrongValue(random));
      if (random.nextInt(6) == 0) {
        body.append(',').append(quote(name)).append(':').append(wrongValue(random));
      }
    }
    return body.append('}').toString();
  }

  /** A body that is not JSON, or JSON of the wrong shape. */
  static String brokenBody(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> pick(random, BROKEN_JSON);
      case 1 -> deepArray(10_000 + random.nextInt(1_000));
      case 2 -> deepObject(10_000);
      case 3 -> "{\"content\":\"x\",\"metadata\":" + deepObject(5_000 + random.nextInt(5_000)) + "}";
      case 4 -> {
        String valid = objectBody(random);
        yield valid.substring(0, random.nextInt(valid.length() + 1));
      }
      default -> "{\"content\":\"x\",\"metadata\":{\"k\":" + pick(random, NUMBERS) + "},\"priority\":"
          + pick(random, NUMBERS) + "}";
    };
  }

  /** Bytes that are not UTF-8, placed inside an otherwise well-formed JSON string. */
  static byte[] invalidUtf8Body(Random random) {
    byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0,
        (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80},
        {(byte) 0xE2, (byte) 0x82}};
    byte[] prefix = ("{\"" + pick(random, FIELDS) + "\":\"a").getBytes(StandardCharsets.US_ASCII);
    byte[] middle = bad[random.nextInt(bad.length)];
    byte[] suffix = "b\"}".getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[prefix.length + middle.length + suffix.length];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    System.arraycopy(middle, 0, body, prefix.length, middle.length);
    System.arraycopy(suffix, 0, body, prefix.length + middle.length, suffix.length);
    return body;
  }

  /** A path segment: hostile text, already percent-encoded where the URL syntax needs it. */
  static String hostileSegment(Random random) {
    return switch (random.nextInt(10)) {
      case 0 -> "%2e%2e";
      case 1 -> "..%2F..%2Fetc%2Fpasswd";
      case 2 -> "%00";
      case 3 -> "%27%3B%20DROP%20TABLE%20messages%3B--";
      case 4 -> "x".repeat(1 + random.nextInt(6_000));
      case 5 -> "%E2%80%AE%F0%9F%98%80";
      case 6 -> "%C0%AF";
      case 7 -> "%FF%FE";
      case 8 -> Long.toString(random.nextLong());
      default -> "00000000-0000-0000-0000-000000000000";
    };
  }

  static String deepArray(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  static String deepObject(int depth) {
    return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  private static String controlCharacters(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 1 + random.nextInt(20); i++) {
      text.append((char) random.nextInt(32));
    }
    return text.toString();
  }

  /** A JSON string literal; control characters are escaped, so the JSON stays well-formed. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  static <T> T pick(Random random, List<T> items) {
    return items.get(random.nextInt(items.size()));
  }
}
