package dev.backchannel.channel;

/** The short form of a channel listed in {@code related_channels}. */
public record ChannelRef(String id, String name, ChannelMode mode) {}
