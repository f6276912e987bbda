package dev.backchannel.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived, read-only tokens for browsers, whose EventSource cannot send headers (extensions
 * §2): {@code bst_<payload>.<hmac>}, where the payload names the key, the channels and the expiry.
 * Signed with a server secret kept in the database; the key must still be active when used.
 */
public final class StreamTokens {
  public static final String PREFIX = "bst_";
  public static final Duration MAX_TTL = Duration.ofMinutes(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final byte[] secret;
  private final Clock clock;

  public StreamTokens(byte[] secret, Clock clock) {
    this.secret = secret.clone();
    this.clock = clock;
  }

  /**
   * What a valid token grants.
   *
   * @param channelIds the channels it may stream, or null for every channel the key can read
   */
  public record Grant(String keyId, Set<String> channelIds, Instant expiresAt) {
    public boolean covers(String channelId) {
      return channelIds == null || channelIds.contains(channelId);
    }
  }

  public String mint(String keyId, List<String> channelIds, Instant expiresAt) {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("k", keyId);
    payload.put("e", expiresAt.getEpochSecond());
    if (channelIds != null) {
      channelIds.forEach(payload.putArray("c")::add);
    }
    String body = ENCODER.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
    return PREFIX + body + "." + ENCODER.encodeToString(sign(body));
  }

  /** The grant of a well-formed, correctly signed, unexpired token. */
  public Optional<Grant> verify(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    String body = token.substring(PREFIX.length(), dot);
    try {
      byte[] signature = DECODER.decode(token.substring(dot + 1));
      if (!MessageDigest.isEqual(signature, sign(body))) {
        return Optional.empty();
      }
      JsonNode payload = JSON.readTree(DECODER.decode(body));
      Instant expiresAt = Instant.ofEpochSecond(payload.path("e").asLong());
      if (!expiresAt.isAfter(clock.instant()) || !payload.path("k").isTextual()) {
        return Optional.empty();
      }
      return Optional.of(new Grant(payload.get("k").asText(), channels(payload.get("c")), expiresAt));
    } catch (IllegalArgumentException | java.io.IOException e) {
      return Optional.empty();
    }
  }

  private static Set<String> channels(JsonNode array) {
    if (array == null || !array.isArray()) {
      return null;
    }
    List<String> ids = new ArrayList<>();
    array.forEach(id -> ids.add(id.asText()));
    return new LinkedHashSet<>(ids);
  }

  private byte[] sign(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
