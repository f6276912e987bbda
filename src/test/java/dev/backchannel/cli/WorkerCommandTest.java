package dev.backchannel.cli;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.Await;
import dev.backchannel.testing.Scrape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker, post and tail commands against the real server; workers run as child processes
 * ({@code java dev.backchannel.Main worker ... -- sh -c ...}) so one can be killed for real.
 */
@Timeout(180)
class WorkerCommandTest extends ApiTest {
  // slow-*: the first run hangs (the worker is killed during it); fail-*: always exits 3.
  private static final String SCRIPT = """
      c=$(cat)
      case "$c" in
        slow-*) if [ ! -e "$DIR/slow.started" ]; then : > "$DIR/slow.started"; sleep 60; exit 9; fi ;;
        fail-*) echo "boom on $c" >&2; exit 3 ;;
        nap-*) : > "$DIR/nap.started"; sleep 1 ;;
      esac
      echo "$c" >> "$DIR/done.log"
      """;

  private Path dir;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void directory() throws IOException {
    dir = Files.createTempDirectory("worker-test");
  }

  @AfterEach
  void killLeftovers() throws IOException {
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private Process worker(String key, String channel, String name, String... flags) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classpath(), "dev.backchannel.Main", "worker",
        "--url", api.baseUrl(), "--key", key, "--channel", channel));
    command.addAll(List.of(flags));
    command.addAll(List.of("--", "sh", "-c", SCRIPT));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(dir.resolve(name + ".log").toFile());
    builder.environment().put("DIR", dir.toString());
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private static String classpath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  private static void await(String what, Duration limit, BooleanSupplier condition) {
    Await.until(what, limit, condition);
  }

  private List<String> done() throws IOException {
    Path log = dir.resolve("done.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  private String log(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".log"));
  }

  @Test
  void twoHundredTasksOnFourWorkersAreEachDoneOnceWithAFailureDeadLetteredAndAKilledWorkersTaskRedelivered()
      throws Exception {
    String key = newKey();
    String dlq = claimableChannel(key);
    String jobs = claimableChannel(key, "max_deliveries", 2, "dead_letter_channel", dlq);

    post(key, jobs, "slow-0");
    Process doomed = worker(key, jobs, "doomed", "--lease", "30", "--wait", "1");
    await("the doomed worker to start its task", Duration.ofSeconds(30),
        () -> Files.exists(dir.resolve("slow.started")));
    List<ProcessHandle> children = doomed.descendants().toList();
    doomed.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
    server.clock().advance(Duration.ofSeconds(31));
    server.releaseLeasesNow();

    TreeSet<String> expected = new TreeSet<>(List.of("slow-0"));
    for (int i = 1; i < 200; i++) {
      String task = i == 100 ? "fail-100" : "ok-" + i;
      post(key, jobs, task);
      if (i != 100) {
        expected.add(task);
      }
    }
    Scrape before = Scrape.of(api);
    Process workers = worker(key, jobs, "workers", "--concurrency", "4", "--lease", "30", "--wait", "1", "--drain");
    assertThat(workers.waitFor(150, TimeUnit.SECONDS)).as("the workers drain the channel").isTrue();
    String progress = log("workers");
    assertThat(workers.exitValue()).as(progress).isZero();
    double claimedByClaimNext = Scrape.of(api).value("backchannel_requests_total", "method", "POST",
        "path", "/v1/channels/{id}/claim-next", "status", "200") - before.value("backchannel_requests_total",
        "method", "POST", "path", "/v1/channels/{id}/claim-next", "status", "200");
    System.out.println("WorkerCommandTest: " + claimedByClaimNext + " tasks claimed by claim-next, the rest by acks");
    assertThat(claimedByClaimNext).as("most tasks come with the ack of the one before").isLessThan(40);

    List<String> done = done();
    assertThat(done).as("every task done exactly once").hasSize(199).doesNotHaveDuplicates();
    assertThat(new TreeSet<>(done)).isEqualTo(expected);
    assertThat(progress).contains("nacked", "exit 3", "acked");

    JsonNode dead = api.get("/v1/channels/" + dlq + "/messages?since=0").key(key).send().json().path("data");
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).path("content").asText()).isEqualTo("fail-100");
    assertThat(dead.get(0).path("last_failure").toString()).contains("boom on fail-100");

    List<JsonNode> left = new ArrayList<>();
    for (String cursor = "0"; left.size() < 300; ) {
      JsonNode page = api.get("/v1/channels/" + jobs + "/messages?limit=100&since=" + encode(cursor)).key(key).send()
          .json();
      page.path("data").forEach(left::add);
      if (page.path("data").size() < 100) {
        break;
      }
      cursor = page.path("next_cursor").asText();
    }
    assertThat(left).hasSize(199);
    for (JsonNode message : left) {
      assertThat(message.path("acknowledged_by").size()).as(message.toString()).isEqualTo(1);
      if (message.path("content").asText().equals("slow-0")) {
        assertThat(message.path("delivery_count").asInt()).isGreaterThanOrEqualTo(2);
      }
    }
  }

  @Test
  void sigtermLetsTheRunningTaskFinishAndAckThenExitsCleanly() throws Exception {
    String key = newKey();
    String jobs = claimableChannel(key);
    String id = postId(key, jobs, "nap-1");
    Process worker = worker(key, jobs, "graceful", "--wait", "1");
    await("the task to start", Duration.ofSeconds(30), () -> Files.exists(dir.resolve("nap.started")));
    worker.destroy();
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue()).as(log("graceful")).isZero();
    assertThat(done()).containsExactly("nap-1");
    assertThat(log("graceful")).contains("stopping", "acked " + id, "1 acked");
    JsonNode message = api.get("/v1/channels/" + jobs + "/messages?since=0").key(key).send().json().path("data")
        .get(0);
    assertThat(message.path("acknowledged_by").size()).isEqualTo(1);
  }

  @Test
  void aWorkerWithoutACommandOrKeyExplainsItsUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = WorkerCommand.run(List.of("--url", api.baseUrl(), "--key", "k", "--channel", "c"),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("the command to run goes after --", "usage: worker");
  }

  @Test
  void postAndTailCarryMessagesForScripts() throws Exception {
    String key = newKey();
    String channel = broadcastChannel(key);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    Args post = Args.parse(List.of("--url", api.baseUrl(), "--key", key, "--channel", channel, "--metadata",
        "{\"n\":1}", "first", "one"));
    assertThat(PostCommand.run(post, System.in, stdout, stderr)).as(err.toString()).isZero();
    assertThat(PostCommand.run(Args.parse(List.of("--url", api.baseUrl(), "--key", key, "--channel", channel)),
        new java.io.ByteArrayInputStream("from stdin".getBytes(StandardCharsets.UTF_8)), stdout, stderr)).isZero();
    JsonNode posted = dev.backchannel.testing.ApiClient.JSON.readTree(out.toString(StandardCharsets.UTF_8)
        .lines().findFirst().orElseThrow());
    assertThat(posted.path("content").asText()).isEqualTo("first one");
    assertThat(posted.path("metadata").path("n").asInt()).isEqualTo(1);

    out.reset();
    Args tail = Args.parse(List.of("--url", api.baseUrl(), "--key", key, "--channel", channel, "--since", "0",
        "--count", "2"));
    assertThat(TailCommand.run(tail, stdout, stderr)).as(err.toString()).isZero();
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).contains("from stdin");

    assertThat(PostCommand.run(Args.parse(List.of("--url", api.baseUrl(), "--key", "bck_x.y", "--channel",
        channel, "x")), System.in, stdout, stderr)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unauthorized");
  }
}
