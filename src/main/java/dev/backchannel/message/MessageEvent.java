package dev.backchannel.message;

import java.time.Instant;

/** A claim, release or acknowledgement of a message, kept for audit and archived with it. */
public record MessageEvent(
    String id,
    String messageId,
    String channelId,
    String actorId,
    String actorName,
    String keyId,
    String type,
    String metadataJson,
    Instant occurredAt) {

  public static final String CLAIM = "claim";
  public static final String RELEASE = "release";
  public static final String ACK = "ack";
  public static final String NACK = "nack";
}
