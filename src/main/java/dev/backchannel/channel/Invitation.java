package dev.backchannel.channel;

import java.time.Instant;

/** A multi-use, 24-hour link that grants membership of a channel (contract §3.5). */
public record Invitation(
    String id,
    String ownerId,
    String createdByKeyId,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    Channel channel) {

  public boolean isActiveAt(Instant now) {
    return revokedAt == null && expiresAt.isAfter(now);
  }
}
