package dev.backchannel.channel;

import java.time.Instant;

/** A key admitted to a channel (contract §3.6). */
public record Member(String id, String channelId, String keyId, Instant grantedAt, String grantedViaInvitationId) {}
