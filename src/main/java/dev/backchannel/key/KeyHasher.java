package dev.backchannel.key;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Mints raw keys ({@code bck_<12>.<32>}) and hashes them for storage (contract §1.4, §2.1). */
public final class KeyHasher {
  private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();
  private final SecureRandom random;

  public KeyHasher(SecureRandom random) {
    this.random = random;
  }

  /** A new key: id {@code bck_} + 9 random bytes, secret 24 random bytes, both URL-safe base64. */
  public RawKey mint() {
    String keyId = "bck_" + randomToken(9);
    return new RawKey(keyId, keyId + "." + randomToken(24));
  }

  public String randomToken(int bytes) {
    byte[] buffer = new byte[bytes];
    random.nextBytes(buffer);
    return URL_SAFE.encodeToString(buffer);
  }

  public static String sha256Hex(String raw) {
    return sha256Hex(raw.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A freshly minted key; {@code raw} is shown to the client once and never stored. */
  public record RawKey(String keyId, String raw) {
    public String hash() {
      return sha256Hex(raw);
    }
  }
}
