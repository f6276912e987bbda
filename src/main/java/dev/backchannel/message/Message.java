package dev.backchannel.message;

import dev.backchannel.actor.ActorRef;
import java.time.Instant;

/**
 * A live message (contract §3.2) with its claim state. JSON-valued fields are kept as JSON text
 * so pages render without re-parsing.
 *
 * @param seq the global sequence number of the post, strictly increasing in commit order
 * @param metadataJson the metadata object
 * @param mentionsJson the eligible mentioned actors, {@code [{id, name}]}
 * @param acksJson the acknowledgements, {@code [{id, name, occurred_at}]} oldest first
 * @param queue priority, delayed delivery, delivery count, fence, dead-letter origin
 * @param postedByKeyId the key that posted it, the only one that may edit it (null for messages
 *     stored before edits existed)
 * @param editedAt when content or metadata last changed, or null
 * @param editCount how many edits it had
 */
public record Message(
    long seq,
    String id,
    String channelId,
    ActorRef actor,
    String actorLabel,
    String content,
    String metadataJson,
    String mentionsJson,
    Instant createdAt,
    Instant expiresAt,
    ActorRef claimedBy,
    String claimedByKeyId,
    Instant claimedAt,
    String leaseToken,
    Instant leaseExpiresAt,
    int ackCount,
    String acksJson,
    QueueState queue,
    String postedByKeyId,
    Instant editedAt,
    int editCount) {

  public boolean isExpiredAt(Instant now) {
    return !expiresAt.isAfter(now);
  }

  public boolean isClaimed() {
    return claimedBy != null;
  }

  public boolean isAcked() {
    return ackCount > 0;
  }

  /** This message as it is after its claim and lease were cleared. */
  public Message withoutClaim() {
    return new Message(seq, id, channelId, actor, actorLabel, content, metadataJson, mentionsJson, createdAt, expiresAt,
        null, null, null, null, null, ackCount, acksJson, queue, postedByKeyId, editedAt, editCount);
  }

  /** This message with new content and metadata, edited at {@code at}. */
  public Message edited(String newContent, String newMetadataJson, Instant at) {
    return new Message(seq, id, channelId, actor, actorLabel, newContent, newMetadataJson, mentionsJson, createdAt,
        expiresAt, claimedBy, claimedByKeyId, claimedAt, leaseToken, leaseExpiresAt, ackCount, acksJson, queue,
        postedByKeyId, at, editCount + 1);
  }

  /** Delayed messages are invisible to reads, streams and claims until due (extensions §4). */
  public boolean isVisibleAt(Instant now) {
    return queue.isDueAt(now);
  }

  public long fence() {
    return queue.fence();
  }

  /** A plain claim never expires; a leased one does at its lease expiry. */
  public boolean hasLiveHoldAt(Instant now) {
    return isClaimed() && (leaseExpiresAt == null || leaseExpiresAt.isAfter(now));
  }
}
