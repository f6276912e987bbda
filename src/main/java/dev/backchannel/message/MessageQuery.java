package dev.backchannel.message;

import java.time.Instant;

/**
 * One page of a channel's live messages, oldest first.
 *
 * @param status null for every message
 * @param expiringBefore null for no bound
 * @param unreadAfter only messages after this sequence number (a reader's read position), 0 for all
 */
public record MessageQuery(
    String channelId, Cursor after, int limit, ClaimFilter status, Instant expiringBefore, long unreadAfter,
    Instant now) {}
