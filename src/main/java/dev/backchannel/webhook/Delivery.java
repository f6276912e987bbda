package dev.backchannel.webhook;

import java.time.Instant;

/**
 * One webhook call waiting in the outbox: where it goes, how it is signed, the exact body, and how
 * often it has been tried.
 *
 * @param eventType {@code message.created}, {@code member_added} or {@code mention}; sent as
 *     {@code X-Backchannel-Event}
 * @param secret the HMAC key for {@code X-Backchannel-Signature}, or null to send it unsigned
 * @param payload the JSON body, sent byte for byte as stored
 */
public record Delivery(
    String id,
    String channelId,
    String eventType,
    String url,
    String secret,
    String payload,
    int attempts,
    Instant createdAt) {}
