package dev.backchannel.message;

import java.time.Instant;

/**
 * One page of a channel's live messages, oldest first.
 *
 * @param status null for every message
 * @param expiringBefore null for no bound
 */
public record MessageQuery(
    String channelId, Cursor after, int limit, ClaimFilter status, Instant expiringBefore, Instant now) {}
