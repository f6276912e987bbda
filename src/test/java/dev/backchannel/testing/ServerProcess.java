package dev.backchannel.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server ({@code target/backchannel.jar}) running as a child process on a random
 * port, for tests that need a real process: killing it without a graceful shutdown, for one.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private ServerProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::readOutput, "server-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The jar failsafe names in {@code backchannel.jar}, else the one {@code mvn package} leaves in target/. */
  public static Path jar() {
    Path jar = Path.of(System.getProperty("backchannel.jar", "target/backchannel.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no server jar at " + jar.toAbsolutePath() + "; run mvn package first");
    }
    return jar;
  }

  /**
   * Starts {@code serve --db <db> --port 0} in {@code directory} and waits until it listens.
   * {@code env} sets {@code BACKCHANNEL_*} variables; the shipped defaults apply to the rest.
   */
  public static ServerProcess start(Path db, Path directory, Map<String, String> env) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar().toAbsolutePath().toString(),
        "serve", "--db", db.toAbsolutePath().toString(), "--host", "127.0.0.1", "--port", "0")
        .directory(directory.toFile())
        .redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("BACKCHANNEL_"));
    builder.environment().putAll(env);
    try {
      ServerProcess server = new ServerProcess(builder.start());
      server.port.get(60, TimeUnit.SECONDS);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("the server process did not start listening", e);
    }
  }

  private void readOutput() {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        synchronized (output) {
          output.add(line);
        }
        Matcher listening = LISTENING.matcher(line);
        if (listening.find()) {
          port.complete(Integer.parseInt(listening.group(1)));
        }
      }
    } catch (IOException ignored) {
      // the process died; its exit is observed elsewhere
    }
    port.completeExceptionally(new IllegalStateException("server exited" + exitStatus() + ": " + output()));
  }

  private String exitStatus() {
    try {
      return process.waitFor(10, TimeUnit.SECONDS) ? " with status " + process.exitValue() : " (still running)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port.join();
  }

  public ApiClient client() {
    return new ApiClient(baseUrl());
  }

  /** What the process printed so far, for failure messages. */
  public String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** SIGKILL: no shutdown hook, no draining, no checkpoint. Returns the exit code. */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the server process survived SIGKILL");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
