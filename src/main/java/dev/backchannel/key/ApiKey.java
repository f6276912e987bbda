package dev.backchannel.key;

import java.time.Instant;
import java.util.Set;

/**
 * A stored API key. Only the SHA-256 of the raw key is kept.
 *
 * @param scopes the allowed scopes, or null when the key is unrestricted
 */
public record ApiKey(
    String keyId,
    String keyHash,
    String ownerId,
    String agentLabel,
    String plan,
    boolean active,
    Set<Scope> scopes,
    Instant createdAt,
    Instant expiresAt) {

  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }

  public Caller caller() {
    return new Caller(keyId, ownerId, agentLabel, plan, scopes);
  }
}
