package dev.backchannel.session;

import java.time.Instant;

/**
 * A per-key scratch state that lives 24 hours (contract §3.10).
 *
 * @param stateJson the state object as JSON text
 */
public record Session(
    String id, String ownerKeyId, String name, String stateJson, Instant createdAt, Instant updatedAt,
    Instant expiresAt) {}
