package dev.backchannel.message;

import dev.backchannel.actor.ActorRef;
import java.time.Instant;

/** A message moved to the archive when it expired or was retracted (contract §3.3). */
public record ArchivedMessage(
    String id,
    String channelId,
    ActorRef actor,
    String actorLabel,
    String content,
    String metadataJson,
    Instant createdAt,
    Instant expiresAt,
    ActorRef claimedBy,
    Instant claimedAt,
    Instant archivedAt) {}
