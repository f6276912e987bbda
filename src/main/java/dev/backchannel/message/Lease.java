package dev.backchannel.message;

import java.time.Instant;

/**
 * A time-bounded claim (contract §5.6).
 *
 * @param expiresAt when the lease lapses unless heartbeated
 * @param message the claimed message, or null for a heartbeat
 */
public record Lease(String token, Instant expiresAt, Message message) {}
