package dev.backchannel.maintenance;

import java.time.Instant;
import java.util.Map;

/** One pass of the {@link Janitor}: what it archived, released and purged. */
public record CleanupRun(String id, Instant startedAt, Instant finishedAt, String status, Map<String, Long> counts,
    String failureMessage) {}
