package dev.backchannel.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of the server, validated once by {@link ConfigLoader}. Built-in defaults live in
 * {@link #defaults()}; each component name maps to a JSON key in snake_case and to a
 * {@code BACKCHANNEL_*} environment variable (see docs/operations.md).
 */
public record Config(
    String host,
    int port,
    Path db,
    String baseUrl,
    List<String> allowedHosts,
    List<String> trustedProxies,
    int rateLimit,
    int rateLimitWindow,
    int keyMintLimit,
    int keyMintWindow,
    int invitationLookupLimit,
    int maxMessageBytes,
    int maxBodyBytes,
    int defaultTtlSeconds,
    int defaultRetentionDays,
    boolean defaultDiscoverable,
    boolean longpollEnabled,
    int longpollMaxWaitSeconds,
    int longpollMaxWaiters,
    int streamMaxPerKey,
    int streamMaxTotal,
    int streamHeartbeatMillis,
    int streamWriteQueueBytes,
    int httpIdleTimeoutSeconds,
    int sqliteBusyTimeoutMs,
    String sqliteSynchronous,
    int readPoolSize,
    int writerMaxBatch,
    String store,
    String postgresUrl,
    int postgresPoolSize,
    int postgresLockTimeoutMs,
    String adminToken,
    String invitationOnboardingUrl,
    String instanceKind,
    String demoKey,
    long dbSizeLimitBytes,
    int janitorIntervalSeconds,
    int leaseSweepIntervalSeconds,
    int idempotencyTtlSeconds,
    int httpInstances,
    int shutdownTimeoutSeconds,
    String logFormat,
    boolean accessLog,
    int metricsChannelSeries,
    int metricsQueueIntervalSeconds,
    String backupDir,
    List<String> webhookAllowedNetworks,
    boolean sandboxEnabled,
    int sandboxTtlSeconds,
    int sandboxMaxMessages,
    int sandboxMaxWritesPerMinute) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_DB = Path.of("data", "backchannel.db");

  public static Config defaults() {
    return new Config(
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_DB,
        "",
        List.of(),
        List.of(),
        120,
        60,
        5,
        3600,
        10,
        10_000,
        262_144,
        86_400,
        7,
        true,
        true,
        30,
        10_000,
        100,
        20_000,
        15_000,
        262_144,
        180,
        5_000,
        "FULL",
        4,
        1_000,
        "sqlite",
        "",
        8,
        5_000,
        "",
        "",
        "self-hosted",
        "",
        1_073_741_824L,
        60,
        5,
        86_400,
        0,
        10,
        "text",
        true,
        20,
        15,
        "",
        List.of(),
        true,
        600,
        200,
        60);
  }

  public Duration defaultTtl() {
    return Duration.ofSeconds(defaultTtlSeconds);
  }

  /** The longest heartbeat interval a stream may use: half the idle timeout, so a quiet stream is never cut. */
  public Duration heartbeatCeiling() {
    return Duration.ofSeconds(httpIdleTimeoutSeconds).dividedBy(2);
  }

  public Duration idempotencyTtl() {
    return Duration.ofSeconds(idempotencyTtlSeconds);
  }

  /** HTTP verticle instances: the setting, or one per available core when it is 0. */
  public int effectiveHttpInstances() {
    return httpInstances > 0 ? httpInstances : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** Where admin backups go: the setting, or {@code backups/} beside the database file when empty. */
  public Path effectiveBackupDir() {
    if (!backupDir.isBlank()) {
      return Path.of(backupDir);
    }
    Path parent = db.toAbsolutePath().getParent();
    return parent == null ? Path.of("backups") : parent.resolve("backups");
  }

  public boolean postgres() {
    return "postgres".equals(store);
  }

  public boolean adminEnabled() {
    return adminToken != null && !adminToken.isEmpty();
  }
}
