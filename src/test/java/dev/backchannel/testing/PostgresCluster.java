package dev.backchannel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster on a free loopback port: {@code initdb} into a temporary
 * directory, {@code pg_ctl start}, and on close {@code pg_ctl stop} and the directory removed.
 * It uses the server binaries of Debian's {@code postgresql} package (or {@code BACKCHANNEL_PG_BIN});
 * when they are missing it fails with what to install, since these tests are never skipped.
 * Running as root, the cluster belongs to the {@code postgres} user, as initdb requires.
 */
public final class PostgresCluster implements AutoCloseable {
  private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
  private static final String SUPERUSER = "postgres";
  private static final long START_SECONDS = 60;

  private static PostgresCluster shared;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresCluster(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** One cluster for the whole test run, started on first use and stopped when the JVM exits. */
  public static synchronized PostgresCluster shared() {
    if (shared == null) {
      shared = start();
      PostgresCluster cluster = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "postgres-cluster-stop"));
    }
    return shared;
  }

  /** Creates and starts a cluster; the caller closes it. */
  public static PostgresCluster start() {
    Path bin = binaries();
    Path dir;
    try {
      dir = Files.createTempDirectory(Path.of("/tmp"), "backchannel-pg-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PostgresCluster cluster = new PostgresCluster(bin, dir, freePort());
    try {
      cluster.initAndStart();
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The directory holding {@code initdb} and {@code pg_ctl}. */
  public static Path binaries() {
    String configured = System.getenv("BACKCHANNEL_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    if (Files.isDirectory(DEBIAN_ROOT)) {
      try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
        Path newest = versions.map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")))
            .max(Comparator.comparing(b -> versionOf(b.getParent())))
            .orElse(null);
        if (newest != null) {
          return newest;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("No PostgreSQL server binaries: install Debian's `postgresql` "
        + "(apt-get install postgresql; .ci/run does) or set BACKCHANNEL_PG_BIN to the directory with initdb");
  }

  private static int versionOf(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public int port() {
    return port;
  }

  /** A new empty database on this cluster; returns its JDBC URL. */
  public String createDatabase() {
    String name = "backchannel_" + databases.incrementAndGet();
    try (Connection connection = DriverManager.getConnection(url("postgres"));
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return url(name);
  }

  /** The JDBC URL of a database on this cluster, as the superuser (trust authentication on loopback). */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
  }

  private void initAndStart() {
    if (runningAsRoot()) {
      run(List.of("chown", SUPERUSER + ":" + SUPERUSER, dir.toString()), false);
    }
    Path data = dir.resolve("data");
    run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER, "--auth=trust",
        "--encoding=UTF8", "--locale=C", "--no-sync"), true);
    String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200";
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
        "-o", options, "-w", "-t", Long.toString(START_SECONDS), "start"), true);
  }

  @Override
  public void close() {
    Path data = dir.resolve("data");
    if (Files.exists(data.resolve("postmaster.pid"))) {
      try {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), true);
      } catch (RuntimeException e) {
        System.err.println("PostgresCluster: " + e.getMessage());
      }
    }
    deleteTree(dir);
  }

  private void run(List<String> command, boolean asSuperuser) {
    List<String> full = new ArrayList<>();
    if (asSuperuser && runningAsRoot()) {
      full.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
    }
    full.addAll(command);
    try {
      Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(START_SECONDS * 2, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", full) + " did not finish");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", full) + " failed (" + process.exitValue() + "): "
            + new String(output, StandardCharsets.UTF_8) + serverLog());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String serverLog() {
    Path log = dir.resolve("server.log");
    try {
      return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("PostgresCluster: cannot remove " + root + ": " + e.getMessage());
    }
  }
}
