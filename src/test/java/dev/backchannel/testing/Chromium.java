package dev.backchannel.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket, java.net.http), for testing
 * the console in a real browser. {@link #find} locates the browser; {@link #start} launches it
 * with a throwaway profile on 127.0.0.1.
 */
public final class Chromium implements AutoCloseable {
  private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome",
      "google-chrome-stable");
  private static final Duration START_LIMIT = Duration.ofSeconds(30);
  private static final Duration CALL_LIMIT = Duration.ofSeconds(15);

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private Chromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** The browser binary: {@code BACKCHANNEL_CHROMIUM}, else the first of the usual names on PATH; null if none. */
  public static Path find() {
    String configured = System.getenv("BACKCHANNEL_CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      for (String name : NAMES) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  public static Chromium start(Path binary) throws Exception {
    Path profile = Files.createTempDirectory("chromium-profile");
    Process process = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile,
        "--window-size=1280,900", "about:blank").redirectErrorStream(true).start();
    String endpoint = devToolsEndpoint(process);
    HttpClient http = HttpClient.newHttpClient();
    URI base = URI.create(endpoint.replace("ws://", "http://").replaceFirst("/devtools/.*", ""));
    JsonNode targets = ApiClient.JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/json/list"))
        .timeout(CALL_LIMIT).build(), HttpResponse.BodyHandlers.ofString()).body());
    String page = null;
    for (JsonNode target : targets) {
      if ("page".equals(target.path("type").asText())) {
        page = target.path("webSocketDebuggerUrl").asText();
        break;
      }
    }
    if (page == null) {
      process.destroyForcibly();
      throw new IllegalStateException("Chromium opened no page target: " + targets);
    }
    Chromium[] self = new Chromium[1];
    WebSocket socket = http.newWebSocketBuilder().connectTimeout(CALL_LIMIT)
        .buildAsync(URI.create(page), new Listener(self)).get(CALL_LIMIT.toSeconds(), TimeUnit.SECONDS);
    self[0] = new Chromium(process, profile, socket);
    return self[0];
  }

  /** Reads the browser's output until it names its DevTools WebSocket, within the start limit. */
  private static String devToolsEndpoint(Process process) throws IOException, InterruptedException {
    CompletableFuture<String> found = new CompletableFuture<>();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.contains("DevTools listening on ")) {
            found.complete(line.substring(line.indexOf("ws://")).trim());
          } else if (!found.isDone()) {
            output.append(line).append('\n');
          }
        }
      } catch (IOException e) {
        // the browser went away
      }
      found.complete(null);
    }, "chromium-output");
    reader.setDaemon(true);
    reader.start();
    try {
      String endpoint = found.get(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
      if (endpoint == null) {
        throw new IllegalStateException("Chromium exited without a DevTools endpoint:\n" + output);
      }
      return endpoint;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("Chromium did not start within " + START_LIMIT + ":\n" + output, e);
    }
  }

  /** One DevTools command; its {@code result}, or an exception carrying the protocol error. */
  public JsonNode call(String method, ObjectNode params) {
    int id = ids.incrementAndGet();
    ObjectNode message = ApiClient.json("id", id, "method", method, "params", params == null ? ApiClient.json()
        : params);
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    socket.sendText(message.toString(), true).join();
    try {
      JsonNode reply = answer.get(CALL_LIMIT.toSeconds(), TimeUnit.SECONDS);
      if (reply.has("error")) {
        throw new IllegalStateException(method + " failed: " + reply.get("error"));
      }
      return reply.path("result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(method + " got no answer", e);
    } finally {
      pending.remove(id);
    }
  }

  public void navigate(String url) {
    call("Page.enable", null);
    call("Page.navigate", ApiClient.json("url", url));
  }

  /** Evaluates a JavaScript expression in the page (awaiting promises) and returns its value. */
  public JsonNode eval(String expression) {
    JsonNode result = call("Runtime.evaluate", ApiClient.json("expression", expression, "returnByValue", true,
        "awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("script failed: " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** Polls a boolean expression every 25 ms until it holds; false if the limit passes first. */
  public boolean waitFor(String expression, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    BooleanSupplier holds = () -> eval(expression).asBoolean(false);
    while (!holds.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(25);
    }
    return true;
  }

  public void screenshot(Path file) throws IOException {
    JsonNode shot = call("Page.captureScreenshot", ApiClient.json("format", "png"));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Listener implements WebSocket.Listener {
    private final Chromium[] owner;
    private final StringBuilder partial = new StringBuilder();

    Listener(Chromium[] owner) {
      this.owner = owner;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          JsonNode message = ApiClient.JSON.readTree(text);
          CompletableFuture<JsonNode> waiting = message.has("id") && owner[0] != null
              ? owner[0].pending.get(message.get("id").asInt()) : null;
          if (waiting != null) {
            waiting.complete(message);
          }
        } catch (IOException e) {
          // not a protocol message; ignore it
        }
      }
      socket.request(1);
      return null;
    }
  }
}
