package dev.backchannel.agent;

import dev.backchannel.actor.ActorRef;
import java.time.Instant;

/**
 * An inbox item: a message that mentions one of an owner's actors (extensions §5).
 *
 * @param seq the sequence number of the mention, for resumable reads
 * @param claimedByKey the key holding the claim, or null
 * @param claimExpiresAt when that claim lapses, or null
 */
public record Mention(
    String id,
    long seq,
    String messageId,
    String channelId,
    ActorRef actor,
    String ownerId,
    Instant createdAt,
    Instant ackedAt,
    String claimedByKey,
    Instant claimExpiresAt) {

  public boolean isClaimedAt(Instant now) {
    return claimedByKey != null && claimExpiresAt != null && claimExpiresAt.isAfter(now);
  }
}
