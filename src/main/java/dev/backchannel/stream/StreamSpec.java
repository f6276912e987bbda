package dev.backchannel.stream;

import dev.backchannel.message.Cursor;
import dev.backchannel.store.Committed;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * What one stream delivers.
 *
 * @param channelIds the channels, already resolved and access-checked
 * @param resumeFrom where to resume (Last-Event-ID or ?since=), or null to start with new messages
 * @param kinds which changes to send: MESSAGE_POSTED always, lifecycle changes on request
 * @param metadataEquals server-side filter: every key must equal the value in the message metadata
 */
public record StreamSpec(
    Set<String> channelIds,
    Cursor resumeFrom,
    Set<Committed.Kind> kinds,
    Map<String, String> metadataEquals,
    Duration heartbeat) {}
