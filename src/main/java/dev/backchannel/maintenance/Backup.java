package dev.backchannel.maintenance;

import java.time.Duration;
import java.time.Instant;

/** One finished backup: its file name inside the backup directory, size and how long it took. */
public record Backup(String name, long sizeBytes, Duration duration, Instant finishedAt) {}
