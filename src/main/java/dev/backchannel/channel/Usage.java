package dev.backchannel.channel;

/** What one key owns, for {@code GET /v1/observability/metrics} (contract §4.11). */
public record Usage(long channelsOwned, long messagesInOwnedChannels, long messagesClaimedInOwnedChannels,
    long activeSessions) {}
