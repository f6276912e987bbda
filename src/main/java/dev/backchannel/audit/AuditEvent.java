package dev.backchannel.audit;

import java.time.Instant;
import java.util.Map;

/**
 * A security-relevant event: key issued or revoked, channel paused, minting toggled (contract §4.11).
 *
 * @param detail event-specific detail, rendered as a JSON object
 */
public record AuditEvent(
    String id,
    Instant occurredAt,
    String actorKeyId,
    String subjectKeyId,
    String eventType,
    String remoteAddr,
    Map<String, Object> detail) {}
