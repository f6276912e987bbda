package dev.backchannel.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Cold start: launches {@code java -jar <--jar> serve} on a new database in a temporary directory
 * (so the shipped defaults apply) on a free port of 127.0.0.1, times it until {@code /health/ready}
 * answers 200, reads its resident memory then and after {@link #IDLE_SECONDS} idle, and stops it
 * with SIGTERM. {@code --runs} times. Local only: it reads {@code /proc/<pid>/status}.
 */
final class StartupScenario implements Scenario {
  static final long READY_BUDGET_NANOS = 60_000_000_000L;
  static final double IDLE_SECONDS = 3;

  @Override
  public Result run(BenchRun run) {
    BenchOptions options = run.options;
    Result result = new Result("startup", 0);
    result.unit = "starts";
    if (options.jar() == null || !Files.isRegularFile(options.jar())) {
      return result.check(false, "--jar must name the server jar (target/backchannel.jar)");
    }
    Histogram ready = new Histogram();
    List<Long> readyRss = new ArrayList<>();
    List<Long> idleRss = new ArrayList<>();
    int clean = 0;
    for (int i = 0; i < options.runs(); i++) {
      run.progress("  start " + (i + 1) + " of " + options.runs());
      Start start = startOnce(options);
      if (start.readyMicros >= 0) {
        ready.record(start.readyMicros);
        readyRss.add(start.readyRss);
        idleRss.add(start.idleRss);
      }
      clean += start.exitCode == 0 && start.readyMicros >= 0 ? 1 : 0;
    }
    result.operations = ready.count();
    result.latency = ready.summary();
    result.figure("java", javaCommand(options)).figure("runs", options.runs())
        .figure("ready_ms", ready.summary())
        .figure("rss_at_ready_mb", megabytes(readyRss)).figure("rss_idle_mb", megabytes(idleRss))
        .figure("idle_seconds", IDLE_SECONDS);
    return result.check(clean == options.runs(), String.format("%d of %d starts became ready and exited 0 on SIGTERM",
        clean, options.runs()));
  }

  private record Start(long readyMicros, long readyRss, long idleRss, int exitCode) {}

  private static Start startOnce(BenchOptions options) {
    Path directory = null;
    Process process = null;
    try {
      directory = Files.createTempDirectory("backchannel-startup");
      int port = freePort();
      ProcessBuilder builder = new ProcessBuilder(javaCommand(options), "-jar", options.jar().toAbsolutePath().toString(),
          "serve", "--db", directory.resolve("backchannel.db").toString(), "--host", "127.0.0.1", "--port",
          Integer.toString(port))
          .directory(directory.toFile())
          .redirectErrorStream(true)
          .redirectOutput(directory.resolve("server.log").toFile());
      long started = System.nanoTime();
      process = builder.start();
      long readyMicros = awaitReady(process, port, started);
      long readyRss = rss(process);
      CapacityScenario.sleep(IDLE_SECONDS);
      long idleRss = rss(process);
      process.destroy();
      int exit = process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
      return new Start(readyMicros, readyRss, idleRss, exit);
    } catch (IOException e) {
      throw new BenchException("could not start the server: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted");
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      delete(directory);
    }
  }

  private static long awaitReady(Process process, int port, long started) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
        .timeout(Duration.ofSeconds(5)).build();
    while (System.nanoTime() - started < READY_BUDGET_NANOS && process.isAlive()) {
      try {
        if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return (System.nanoTime() - started) / 1_000;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(5);
    }
    return -1;
  }

  /** VmRSS of a local process in bytes, -1 where /proc is not available. */
  static long rss(Process process) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  private static String javaCommand(BenchOptions options) {
    if (options.java() != null) {
      return options.java();
    }
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Object megabytes(List<Long> values) {
    if (values.isEmpty() || values.contains(-1L)) {
      return "n/a";
    }
    List<Double> out = new ArrayList<>();
    values.forEach(bytes -> out.add(Result.round(bytes / (double) HeapProbe.MB)));
    return out;
  }

  private static void delete(Path directory) {
    if (directory == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
