package dev.backchannel.channel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A channel and its settings (contract §3.1).
 *
 * @param metadataSchemaJson the schema object as JSON text ({@code {}} when none)
 * @param queue redelivery, dead-letter and in-flight settings
 * @param member whether the key that looked the channel up is its creator or a member
 */
public record Channel(
    String id,
    String ownerId,
    String createdByKeyId,
    String name,
    ChannelMode mode,
    Access access,
    boolean discoverable,
    String description,
    String metadataSchemaJson,
    String pinnedMessage,
    String webhookUrl,
    String webhookSecret,
    int ttlSeconds,
    int retentionDays,
    Integer maxMessages,
    Integer maxWritesPerMinute,
    boolean paused,
    Instant createdAt,
    Instant updatedAt,
    List<String> aliases,
    List<ChannelRef> related,
    QueuePolicy queue,
    boolean member) {

  public boolean isClaimable() {
    return mode == ChannelMode.CLAIMABLE;
  }

  public boolean isOwnedBy(String keyId) {
    return createdByKeyId.equals(keyId);
  }

  /** Contract §2.6: open channels admit every key; restricted ones the creator and members. */
  public boolean admits(String keyId) {
    return access == Access.OPEN || isOwnedBy(keyId) || member;
  }

  public Duration ttl() {
    return Duration.ofSeconds(ttlSeconds);
  }

  public ChannelRef ref() {
    return new ChannelRef(id, name, mode);
  }
}
