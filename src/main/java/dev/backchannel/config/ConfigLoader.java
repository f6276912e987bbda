package dev.backchannel.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backchannel.network.Cidr;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Config} from layers, each overriding the one before: built-in defaults, the
 * JSON config file, {@code BACKCHANNEL_*} environment variables, then explicit overrides
 * (command-line flags, tests). Validates once and fails with the key name and the reason.
 */
public final class ConfigLoader {
  public static final Path DEFAULT_FILE = Path.of("config", "backchannel.json");
  private static final String ENV_PREFIX = "BACKCHANNEL_";
  private static final Set<String> SYNCHRONOUS_MODES = Set.of("OFF", "NORMAL", "FULL", "EXTRA");
  private static final Set<String> STORES = Set.of("sqlite", "postgres");
  private static final Set<String> LOG_FORMATS = Set.of("text", "json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  public static ConfigLoader fromSystem() {
    return new ConfigLoader(System.getenv());
  }

  /** Loads defaults ← file (explicit path, else {@link #DEFAULT_FILE} if present) ← env ← overrides. */
  public Config load(Path file, Map<String, String> overrides) {
    Map<String, Object> values = asMap(Config.defaults());
    Path configFile = file != null ? file : envPath("CONFIG");
    if (configFile != null) {
      applyFile(values, configFile, true);
    } else if (Files.exists(DEFAULT_FILE)) {
      applyFile(values, DEFAULT_FILE, false);
    }
    return finish(values, overrides);
  }

  /** Built-in defaults ← env ← overrides, reading no file (tests, tools). */
  public Config loadWithoutFile(Map<String, String> overrides) {
    return finish(asMap(Config.defaults()), overrides);
  }

  private Config finish(Map<String, Object> values, Map<String, String> overrides) {
    for (String key : values.keySet()) {
      String raw = env.get(ENV_PREFIX + key.toUpperCase(Locale.ROOT));
      if (raw != null) {
        values.put(key, parse(key, raw, "environment variable " + ENV_PREFIX + key.toUpperCase(Locale.ROOT)));
      }
    }
    overrides.forEach((key, raw) -> {
      requireKnown(values, key, "override");
      values.put(key, parse(key, raw, "setting " + key));
    });
    Config config = build(values);
    validate(config);
    return config;
  }

  public Config load() {
    return load(null, Map.of());
  }

  private Path envPath(String name) {
    String raw = env.get(ENV_PREFIX + name);
    return raw == null || raw.isBlank() ? null : Path.of(raw);
  }

  private void applyFile(Map<String, Object> values, Path file, boolean required) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      if (!required && !Files.exists(file)) {
        return;
      }
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException("config file " + file + " must hold a JSON object");
    }
    root.fields().forEachRemaining(entry -> {
      String key = entry.getKey();
      requireKnown(values, key, "config file " + file);
      JsonNode node = entry.getValue();
      String raw = node.isArray() ? joinArray(node) : node.isNull() ? "" : node.asText();
      values.put(key, parse(key, raw, "key '" + key + "' in " + file));
    });
  }

  private static String joinArray(JsonNode array) {
    List<String> parts = new ArrayList<>();
    array.forEach(item -> parts.add(item.asText()));
    return String.join(",", parts);
  }

  private static void requireKnown(Map<String, Object> values, String key, String where) {
    if (!values.containsKey(key)) {
      throw new ConfigException("unknown setting '" + key + "' in " + where);
    }
  }

  private static Object parse(String key, String raw, String where) {
    Class<?> type = componentType(key);
    String value = raw.trim();
    try {
      if (type == int.class) {
        return Integer.parseInt(value);
      } else if (type == long.class) {
        return Long.parseLong(value);
      } else if (type == boolean.class) {
        return parseBoolean(value);
      } else if (type == Path.class) {
        return Path.of(value);
      } else if (type == List.class) {
        return value.isEmpty() ? List.of()
            : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
      }
      return value;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": cannot read '" + raw + "' as " + type.getSimpleName());
    }
  }

  private static boolean parseBoolean(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "on":
        return true;
      case "0", "false", "no", "off":
        return false;
      default:
        throw new IllegalArgumentException(value);
    }
  }

  private static void validate(Config c) {
    range("port", c.port(), 0, 65_535);
    range("rate_limit", c.rateLimit(), 0, Integer.MAX_VALUE);
    range("rate_limit_window", c.rateLimitWindow(), 1, 86_400);
    range("key_mint_limit", c.keyMintLimit(), 0, Integer.MAX_VALUE);
    range("key_mint_window", c.keyMintWindow(), 1, 604_800);
    range("invitation_lookup_limit", c.invitationLookupLimit(), 0, Integer.MAX_VALUE);
    range("max_message_bytes", c.maxMessageBytes(), 1, 16_777_216);
    range("max_body_bytes", c.maxBodyBytes(), 1_024, 67_108_864);
    range("default_ttl_seconds", c.defaultTtlSeconds(), 300, 2_592_000);
    range("default_retention_days", c.defaultRetentionDays(), 1, 365);
    range("longpoll_max_wait_seconds", c.longpollMaxWaitSeconds(), 0, 300);
    range("longpoll_max_waiters", c.longpollMaxWaiters(), 0, 1_000_000);
    range("stream_max_per_key", c.streamMaxPerKey(), 1, 1_000_000);
    range("stream_max_total", c.streamMaxTotal(), 1, 1_000_000);
    range("stream_heartbeat_millis", c.streamHeartbeatMillis(), 10, 600_000);
    range("stream_write_queue_bytes", c.streamWriteQueueBytes(), 4_096, 64 * 1024 * 1024);
    range("http_idle_timeout_seconds", c.httpIdleTimeoutSeconds(), 2, 86_400);
    if (c.httpIdleTimeoutSeconds() <= c.longpollMaxWaitSeconds()) {
      throw new ConfigException("http_idle_timeout_seconds (" + c.httpIdleTimeoutSeconds()
          + ") must be above longpoll_max_wait_seconds (" + c.longpollMaxWaitSeconds() + "), or long-polls are cut");
    }
    range("sqlite_busy_timeout_ms", c.sqliteBusyTimeoutMs(), 0, 600_000);
    range("read_pool_size", c.readPoolSize(), 1, 64);
    range("writer_max_batch", c.writerMaxBatch(), 1, 100_000);
    range("postgres_pool_size", c.postgresPoolSize(), 1, 256);
    range("postgres_lock_timeout_ms", c.postgresLockTimeoutMs(), 1, 600_000);
    if (!STORES.contains(c.store())) {
      throw new ConfigException("store must be one of " + STORES);
    }
    if (c.postgres() && !c.postgresUrl().startsWith("jdbc:postgresql:")) {
      throw new ConfigException("store postgres needs postgres_url, a jdbc:postgresql:// URL");
    }
    range("janitor_interval_seconds", c.janitorIntervalSeconds(), 1, 86_400);
    range("lease_sweep_interval_seconds", c.leaseSweepIntervalSeconds(), 1, 3_600);
    range("idempotency_ttl_seconds", c.idempotencyTtlSeconds(), 60, 604_800);
    range("http_instances", c.httpInstances(), 0, 256);
    range("shutdown_timeout_seconds", c.shutdownTimeoutSeconds(), 0, 600);
    range("metrics_channel_series", c.metricsChannelSeries(), 0, 1_000);
    range("metrics_queue_interval_seconds", c.metricsQueueIntervalSeconds(), 1, 3_600);
    range("sandbox_ttl_seconds", c.sandboxTtlSeconds(), 300, 2_592_000);
    range("sandbox_max_messages", c.sandboxMaxMessages(), 1, 1_000_000);
    range("sandbox_max_writes_per_minute", c.sandboxMaxWritesPerMinute(), 1, 1_000_000);
    for (String network : c.webhookAllowedNetworks()) {
      if (Cidr.parse(network).isEmpty()) {
        throw new ConfigException("webhook_allowed_networks: '" + network + "' is not an IP address or CIDR network");
      }
    }
    if (c.dbSizeLimitBytes() < 0) {
      throw new ConfigException("db_size_limit_bytes must be >= 0");
    }
    if (!SYNCHRONOUS_MODES.contains(c.sqliteSynchronous())) {
      throw new ConfigException("sqlite_synchronous must be one of " + SYNCHRONOUS_MODES);
    }
    if (!LOG_FORMATS.contains(c.logFormat())) {
      throw new ConfigException("log_format must be one of " + LOG_FORMATS);
    }
    if (c.host().isBlank()) {
      throw new ConfigException("host must not be empty");
    }
    if (!c.baseUrl().isEmpty() && !c.baseUrl().matches("(?i)https?://\\S+")) {
      throw new ConfigException("base_url must be an http(s) URL");
    }
  }

  private static void range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ConfigException(key + " must be between " + min + " and " + max + " (got " + value + ")");
    }
  }

  /** The JSON key of a record component: {@code rateLimitWindow} → {@code rate_limit_window}. */
  public static String keyOf(String componentName) {
    return componentName.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
  }

  public static List<String> keys() {
    return Arrays.stream(Config.class.getRecordComponents()).map(c -> keyOf(c.getName())).toList();
  }

  /** The settings as a map from JSON key to value, in declaration order. */
  public static Map<String, Object> asMap(Config config) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (RecordComponent c : Config.class.getRecordComponents()) {
      try {
        values.put(keyOf(c.getName()), c.getAccessor().invoke(config));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return values;
  }

  private static Class<?> componentType(String key) {
    for (RecordComponent c : Config.class.getRecordComponents()) {
      if (keyOf(c.getName()).equals(key)) {
        return c.getType();
      }
    }
    throw new ConfigException("unknown setting '" + key + "'");
  }

  private static Config build(Map<String, Object> values) {
    RecordComponent[] components = Config.class.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      args[i] = values.get(keyOf(components[i].getName()));
      types[i] = components[i].getType();
    }
    try {
      return Config.class.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A setting that cannot be used; the message names the key and the reason. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
