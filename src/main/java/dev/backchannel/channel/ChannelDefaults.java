package dev.backchannel.channel;

/** Instance-wide defaults for new channels (contract §6). */
public record ChannelDefaults(int ttlSeconds, int retentionDays, boolean discoverable) {}
