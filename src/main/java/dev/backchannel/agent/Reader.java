package dev.backchannel.agent;

import dev.backchannel.actor.ActorRef;
import java.time.Instant;

/**
 * How far an actor has read a channel.
 *
 * @param readThroughSeq the last message marked read, 0 when none
 * @param updatedAt null for subscribers that never marked anything read
 */
public record Reader(ActorRef actor, long readThroughSeq, long unread, Instant updatedAt) {}
