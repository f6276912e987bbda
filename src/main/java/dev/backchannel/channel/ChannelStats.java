package dev.backchannel.channel;

/** Message counts of one channel for {@code GET /v1/channels/{c}/metrics} (contract §4.11). */
public record ChannelStats(long total, long unclaimed, long claimed, long acknowledged, Long avgClaimToAckMs) {}
