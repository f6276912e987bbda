package dev.backchannel.message;

import java.time.Instant;

/**
 * How many live messages the server holds and where the newest went (operators' health detail).
 *
 * @param lastCreatedAt null when there are none, like {@code lastChannelId}
 */
public record MessageTotals(long total, Instant lastCreatedAt, String lastChannelId) {}
