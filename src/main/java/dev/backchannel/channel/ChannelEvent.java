package dev.backchannel.channel;

import java.time.Instant;

/** A membership change recorded for the channel owner (contract §3.7). */
public record ChannelEvent(
    String id,
    String channelId,
    String eventType,
    String actorKeyId,
    String subjectKeyId,
    String invitationId,
    Instant createdAt,
    Instant expiresAt) {

  public static final String MEMBER_ADDED = "member_added";
  public static final String MEMBER_REMOVED = "member_removed";
  public static final String INVITATION_RESOLVED = "invitation_resolved";
  public static final String INVITATION_REVOKED = "invitation_revoked";
}
