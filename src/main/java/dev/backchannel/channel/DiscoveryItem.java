package dev.backchannel.channel;

import java.time.Instant;

/** A discoverable channel as listed to any key (contract §3.9). */
public record DiscoveryItem(
    String id, String name, ChannelMode mode, Access access, String description, Instant createdAt, boolean member) {}
