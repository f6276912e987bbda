package dev.backchannel.agent;

import dev.backchannel.actor.ActorRef;
import dev.backchannel.channel.ChannelMode;
import java.time.Instant;

/** An actor following a channel: its new messages wake the actor's owner (extensions §5). */
public record Subscription(String channelId, ChannelMode mode, ActorRef actor, String ownerId, Instant createdAt) {}
