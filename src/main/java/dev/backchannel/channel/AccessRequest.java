package dev.backchannel.channel;

import java.time.Instant;

/** A key asking to join a discoverable restricted channel (contract §3.8). */
public record AccessRequest(
    String id,
    String channelId,
    String requesterKeyId,
    String reason,
    String status,
    Instant createdAt) {}
