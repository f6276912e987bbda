package dev.backchannel.idempotency;

import dev.backchannel.key.KeyHasher;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Names the idempotency record of one write (contract §5.9): scoped to the caller's key, the
 * method and the path (§10.2 #5); an explicit {@code Idempotency-Key} names it, else a key is
 * derived from the body. {@code source} is {@code client} or {@code server-auto}.
 */
public record IdempotencyRecord(String scope, String keyId, String key, String source) {
  // Claim-like verbs repeat on purpose, so identical bodies must not replay (contract §5.9). So
  // do reads sent as POST (tasks/subscribe: a replay would hide new messages for 24 h), toggles
  // (subscribe after unsubscribe) and verbs whose answer changes with time (redrive, read
  // positions, short-lived stream tokens).
  private static final List<String> AUTO_EXCLUDED = List.of(
      "/ack", "/claim", "/claim-with-lease", "/release", "/heartbeat", "/claim-next", "/nack",
      "/subscribe", "/unsubscribe", "/read", "/redrive", "/stream-tokens");
  private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7e][\\x20-\\x7e]{0,254}");

  /** 1 to 255 printable ASCII characters, not starting with a space. */
  public static boolean isValidKey(String key) {
    return VALID_KEY.matcher(key).matches();
  }

  /**
   * The record for a write, or null when it has none: no explicit key and a path whose repeats
   * are meant to run again.
   */
  public static IdempotencyRecord forWrite(String keyId, String method, String path, String explicitKey,
      byte[] body) {
    if (explicitKey == null && isAutoExcluded(path)) {
      return null;
    }
    String key = explicitKey != null ? explicitKey : autoKey(method, body, path);
    return new IdempotencyRecord(keyId + ":" + method + ":" + path + ":" + key, keyId, key,
        explicitKey != null ? "client" : "server-auto");
  }

  static boolean isAutoExcluded(String path) {
    for (String suffix : AUTO_EXCLUDED) {
      if (path.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  static String autoKey(String method, byte[] body, String path) {
    String digest = KeyHasher.sha256Hex(body == null ? new byte[0] : body);
    return "auto-" + method + "-" + digest.substring(0, 32) + "-" + path;
  }
}
