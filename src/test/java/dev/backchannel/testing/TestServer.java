package dev.backchannel.testing;

import dev.backchannel.Seams;
import dev.backchannel.Server;
import dev.backchannel.config.Config;
import dev.backchannel.config.ConfigLoader;
import dev.backchannel.message.LeaseTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real server on a random port with a temporary database and a {@link FakeClock}. Rate
 * limits and the sandbox are off, and commits skip the fsync, unless a test sets otherwise.
 */
public final class TestServer implements AutoCloseable {
  private final Path directory;
  private final FakeClock clock;
  /** {@code -Dbackchannel.test.store=postgres} runs every test server on a fresh PostgreSQL database. */
  public static final String STORE_PROPERTY = "backchannel.test.store";

  private final Map<String, String> settings;
  private final Seams seams;
  private Server server;

  private TestServer(Path directory, FakeClock clock, Map<String, String> settings, Seams seams) {
    this.directory = directory;
    this.clock = clock;
    this.settings = settings;
    this.seams = seams;
  }

  public static TestServer start() {
    return start(Map.of());
  }

  public static TestServer start(Map<String, String> overrides) {
    return start(overrides, new FakeClock());
  }

  public static TestServer start(Map<String, String> overrides, FakeClock clock) {
    return start(overrides, clock, LeaseTokens.RANDOM);
  }

  /** With lease tokens from {@code leaseTokens}, for tests that assert on them. */
  public static TestServer start(Map<String, String> overrides, FakeClock clock, LeaseTokens leaseTokens) {
    return start(overrides, clock, new Seams(clock, leaseTokens));
  }

  /** With the given seams; by default the fake clock is also the server's ticker. */
  public static TestServer start(Map<String, String> overrides, FakeClock clock, Seams seams) {
    try {
      Path directory = Files.createTempDirectory("backchannel-test");
      Map<String, String> settings = new HashMap<>();
      settings.put("db", directory.resolve("backchannel.db").toString());
      settings.put("port", "0");
      settings.put("rate_limit", "0");
      settings.put("key_mint_limit", "0");
      settings.put("janitor_interval_seconds", "3600");
      settings.put("lease_sweep_interval_seconds", "3600");
      settings.put("shutdown_timeout_seconds", "1");
      // A cost knob turned down for tests: commits skip the fsync. Durability is tested on a
      // real process with the shipped default (conformance/DurabilityIT).
      settings.put("sqlite_synchronous", "NORMAL");
      settings.put("sandbox_enabled", "false");
      if ("postgres".equals(System.getProperty(STORE_PROPERTY))) {
        settings.put("store", "postgres");
        settings.put("postgres_url", PostgresCluster.shared().createDatabase());
      }
      settings.putAll(overrides);
      TestServer test = new TestServer(directory, clock, settings, seams);
      test.boot();
      return test;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void boot() {
    Config config = new ConfigLoader(Map.of()).loadWithoutFile(settings);
    try {
      server = Server.start(config, clock, seams);
    } catch (Exception e) {
      throw new IllegalStateException("test server did not start", e);
    }
  }

  /** Stops gracefully and starts again on the same database (and the same clock). */
  public void restart() {
    restart(Map.of());
  }

  /** Restarts with some settings changed. */
  public void restart(Map<String, String> changes) {
    server.stop();
    settings.putAll(changes);
    settings.put("port", "0");
    boot();
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public FakeClock clock() {
    return clock;
  }

  public Server server() {
    return server;
  }

  public Path database() {
    return Path.of(settings.get("db"));
  }

  /** JDBC URL of the database this server runs on, for tests that look behind its back. */
  public String jdbcUrl() {
    return "postgres".equals(settings.get("store")) ? settings.get("postgres_url") : "jdbc:sqlite:" + database();
  }

  /** Whether this run's test servers are on PostgreSQL ({@link #STORE_PROPERTY}). */
  public static boolean onPostgres() {
    return "postgres".equals(System.getProperty(STORE_PROPERTY));
  }

  public ApiClient client() {
    return new ApiClient(baseUrl());
  }

  /** Runs the janitor's full pass now, as its timer would. */
  public void sweepNow() {
    await(server.services().janitor().sweep().mapEmpty());
  }

  /** Runs the sandbox's 30-second tick now (size check, then heartbeat); true if a heartbeat was posted. */
  public boolean sandboxTickNow() {
    try {
      return server.services().sandbox().tick().await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Makes the webhook worker look for due deliveries now; delivery itself stays asynchronous. */
  public void deliverWebhooksNow() {
    server.deliverWebhooksNow();
  }

  public void releaseLeasesNow() {
    await(server.services().janitor().releaseLeases().mapEmpty());
  }

  private static void await(io.vertx.core.Future<Object> future) {
    try {
      future.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

}
