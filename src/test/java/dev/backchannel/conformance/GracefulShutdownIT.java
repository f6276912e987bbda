package dev.backchannel.conformance;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.Posters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar under load gets SIGTERM: it exits 0, leaves no WAL behind, and after a restart
 * every message it acknowledged (201) is still there.
 */
@Timeout(180)
class GracefulShutdownIT {
  static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+:\\d+)");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void sigtermUnderLoadLosesNoAcknowledgedMessageAndCheckpoints() throws Exception {
    Path db = dir.resolve("data").resolve("backchannel.db");
    Server first = Server.start(dir, db, "first");
    ApiClient api = new ApiClient(first.baseUrl);
    String key = api.mintKey("shutdown-poster");
    String channel = api.post("/v1/channels", json("name", "shutdown", "mode", "claimable")).key(key).send()
        .text("id");

    Posters posters = Posters.start(api, key, channel, 4, Duration.ofSeconds(60)).awaitAcknowledged(200);
    first.process.destroy();
    boolean exited = first.process.waitFor(60, TimeUnit.SECONDS);
    posters.join();
    Set<String> acknowledged = posters.acknowledged();

    assertThat(exited).as("exited within the timeout").isTrue();
    assertThat(first.process.exitValue()).isZero();
    // Checkpointed and closed last by the writer, SQLite removes the WAL and its index.
    assertThat(db.resolveSibling("backchannel.db-wal")).doesNotExist();
    assertThat(db.resolveSibling("backchannel.db-shm")).doesNotExist();
    assertLogsAreJsonWithoutSecrets(first.log, key);

    Server second = Server.start(dir, db, "second");
    try {
      assertThat(messageIds(new ApiClient(second.baseUrl), key, channel)).containsAll(acknowledged);
    } finally {
      second.process.destroy();
      second.process.waitFor(60, TimeUnit.SECONDS);
    }
  }

  private static Set<String> messageIds(ApiClient api, String key, String channel) {
    Set<String> ids = new HashSet<>();
    String cursor = "0";
    while (true) {
      Response page = api.get("/v1/channels/" + channel + "/messages?limit=100&cursor=" + cursor).key(key).send();
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      JsonNode data = page.json().get("data");
      if (data.isEmpty()) {
        return ids;
      }
      data.forEach(message -> ids.add(message.get("id").asText()));
      cursor = data.get(data.size() - 1).get("seq").asText();
    }
  }

  private static void assertLogsAreJsonWithoutSecrets(Path log, String key) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    List<String> messages = new ArrayList<>();
    for (String line : lines) {
      assertThat(line).doesNotContain(key);
      messages.add(JSON.readTree(line).get("message").asText());
    }
    assertThat(messages).contains("shutting down", "stopped cleanly");
  }

  /** The jar as a child process; its stderr (the log) goes to a file. */
  record Server(Process process, String baseUrl, Path log) {
    static Server start(Path dir, Path db, String name) throws IOException, InterruptedException {
      String jar = System.getProperty("backchannel.jar", "target/backchannel.jar");
      Path log = dir.resolve(name + ".log");
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Dorg.sqlite.tmpdir=" + System.getProperty("org.sqlite.tmpdir", dir.toString()),
          "-jar", Path.of(jar).toAbsolutePath().toString(), "serve", "--port", "0", "--db", db.toString())
          .directory(dir.toFile())
          .redirectError(log.toFile());
      builder.environment().keySet().removeIf(variable -> variable.startsWith("BACKCHANNEL_"));
      builder.environment().put("BACKCHANNEL_RATE_LIMIT", "0");
      builder.environment().put("BACKCHANNEL_KEY_MINT_LIMIT", "0");
      builder.environment().put("BACKCHANNEL_LOG_FORMAT", "json");
      builder.environment().put("BACKCHANNEL_SHUTDOWN_TIMEOUT_SECONDS", "5");
      Process process = builder.start();
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        Matcher listening = LISTENING.matcher(line);
        if (listening.find()) {
          drain(out);
          return new Server(process, listening.group(1), log);
        }
      }
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("server exited before listening; log:\n" + Files.readString(log));
    }

    private static void drain(BufferedReader out) {
      Thread drainer = new Thread(() -> {
        try {
          while (out.readLine() != null) {
            // keep the pipe from filling up
          }
        } catch (IOException ignored) {
          // the process has gone
        }
      }, "stdout-drain");
      drainer.setDaemon(true);
      drainer.start();
    }
  }
}
