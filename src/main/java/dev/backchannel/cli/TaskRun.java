package dev.backchannel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One claimed task: run the command, keep the lease alive, then ack, nack or release it. An ack
 * also claims the worker's next task when {@link NextTask} allows one (one request instead of an
 * ack and a claim-next).
 */
final class TaskRun {
  /** Whether the worker may take another task now; a reservation not used is handed back. */
  interface NextTask {
    boolean reserve();

    void unreserve();
  }

  static final int STDERR_TAIL = 2_000;

  private final int slot;
  private final JsonNode lease;
  private final WorkerOptions options;
  private final CliClient client;
  private final WorkerState state;
  private final PrintStream err;
  private final NextTask nextTask;
  private final String messageId;
  private final long fence;
  private JsonNode next;

  TaskRun(int slot, JsonNode lease, WorkerOptions options, CliClient client, WorkerState state, PrintStream err,
      NextTask nextTask) {
    this.slot = slot;
    this.nextTask = nextTask;
    this.lease = lease;
    this.options = options;
    this.client = client;
    this.state = state;
    this.err = err;
    this.messageId = lease.path("message").path("id").asText();
    this.fence = lease.path("fence").asLong();
  }

  private enum Outcome { EXITED, LEASE_LOST, STOPPED, TIMED_OUT }

  /** Runs the task to its end; returns the next task the ack claimed, or null. */
  JsonNode run() throws InterruptedException {
    if (state.stopping()) {
      finish("release", null, "released (stopping)");
      state.released.incrementAndGet();
      return null;
    }
    long started = System.nanoTime();
    JsonNode message = lease.path("message");
    log("claimed " + messageId + " (delivery " + message.path("delivery_count").asInt() + ", fence " + fence + ")");
    Process process;
    StderrTail stderr;
    try {
      process = start(message);
      stderr = StderrTail.follow(process.getErrorStream());
    } catch (IOException e) {
      finish("nack", "cannot start the command: " + e.getMessage(), "failed to start: " + e.getMessage());
      state.failed.incrementAndGet();
      return null;
    }
    Outcome outcome = supervise(process, started);
    String took = String.format("%.1f s", (System.nanoTime() - started) / 1e9);
    switch (outcome) {
      case EXITED -> completed(process.exitValue(), stderr.text(), took);
      case LEASE_LOST -> {
        state.lost.incrementAndGet();
        log("lost the lease on " + messageId + "; the command was stopped and its result dropped");
      }
      case STOPPED -> {
        finish("release", null, "released " + messageId + " (still running when the grace period ended)");
        state.released.incrementAndGet();
      }
      case TIMED_OUT -> {
        finish("nack", "timed out after " + took + "\n" + stderr.text(), "nacked " + messageId + ": timed out");
        state.failed.incrementAndGet();
      }
    }
    return next;
  }

  private void completed(int exit, String stderrTail, String took) throws InterruptedException {
    if (exit == 0) {
      boolean reserved = nextTask.reserve();
      if (finish("ack", null, "acked " + messageId + " in " + took, reserved)) {
        state.acked.incrementAndGet();
      }
      if (reserved && next == null) {
        nextTask.unreserve();
      }
    } else {
      finish("nack", "exit " + exit + (stderrTail.isEmpty() ? "" : ": " + stderrTail),
          "nacked " + messageId + ": exit " + exit);
      state.failed.incrementAndGet();
    }
  }

  private Process start(JsonNode message) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(options.command())
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.PIPE);
    Map<String, String> env = builder.environment();
    env.put("BACKCHANNEL_MESSAGE_ID", messageId);
    env.put("BACKCHANNEL_CHANNEL", options.channel());
    env.put("BACKCHANNEL_FENCE", Long.toString(fence));
    env.put("BACKCHANNEL_DELIVERY", message.path("delivery_count").asText());
    env.put("BACKCHANNEL_METADATA", message.path("metadata").toString());
    Process process = builder.start();
    byte[] input = (options.json() ? message.toString() : message.path("content").asText())
        .getBytes(StandardCharsets.UTF_8);
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input);
    } catch (IOException e) {
      // the command closed its stdin without reading it all; that is its business
    }
    return process;
  }

  /** Waits for the command, renewing the lease every third of it; stops it on a lost lease, a timeout or the end of the grace period. */
  private Outcome supervise(Process process, long started) throws InterruptedException {
    Duration every = options.heartbeatEvery();
    long nextBeat = System.nanoTime() + every.toNanos();
    while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
      if (options.timeout() != null && System.nanoTime() - started > options.timeout().toNanos()) {
        kill(process);
        return Outcome.TIMED_OUT;
      }
      if (state.graceOver()) {
        kill(process);
        return Outcome.STOPPED;
      }
      if (System.nanoTime() - nextBeat >= 0) {
        nextBeat = System.nanoTime() + every.toNanos();
        if (!heartbeat()) {
          kill(process);
          return Outcome.LEASE_LOST;
        }
      }
    }
    return Outcome.EXITED;
  }

  /** False when the server says the lease is gone (taken over, expired, fenced off). */
  private boolean heartbeat() {
    ObjectNode body = CliClient.JSON.createObjectNode();
    body.put("lease_seconds", options.lease().toSeconds());
    body.put("fence", fence);
    try {
      CliClient.Reply reply = client.post("/v1/leases/" + CliClient.segment(lease.path("lease_token").asText())
          + "/heartbeat", body, Duration.ZERO);
      if (reply.ok()) {
        return true;
      }
      log("heartbeat on " + messageId + " refused: " + reply.error());
      return reply.status() >= 500 || reply.status() == 429;
    } catch (IOException e) {
      log("heartbeat on " + messageId + " failed: " + e.getMessage() + "; the command keeps running");
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private static void kill(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private boolean finish(String verb, String reason, String done) throws InterruptedException {
    return finish(verb, reason, done, false);
  }

  /**
   * Sends ack, nack or release with the fence, retrying a few times when the server is
   * unreachable. An ack that also claims the next task carries an idempotency key, so a retry
   * after a lost answer gets that same task instead of leaving it leased to nobody.
   */
  private boolean finish(String verb, String reason, String done, boolean claimNext) throws InterruptedException {
    ObjectNode body = CliClient.JSON.createObjectNode();
    body.put("fence", fence);
    if (options.actor() != null) {
      body.put("actor", options.actor());
    }
    if (reason != null) {
      body.put("reason", tail(reason, STDERR_TAIL));
    }
    String path = "/v1/messages/" + CliClient.segment(messageId) + "/" + verb;
    String idempotencyKey = claimNext ? "worker-ack-" + messageId + "-" + fence : null;
    if (claimNext) {
      ObjectNode nextClaim = body.putObject("next");
      nextClaim.put("lease_seconds", options.lease().toSeconds());
      if (options.match() != null) {
        nextClaim.set("match", options.match());
      }
    }
    for (int attempt = 1; attempt <= 5; attempt++) {
      try {
        CliClient.Reply reply = client.post(path, body, Duration.ZERO, idempotencyKey);
        if (reply.ok()) {
          log(done);
          JsonNode claimed = reply.body().path("next");
          next = claimed.isObject() ? claimed : null;
          return true;
        }
        log(verb + " of " + messageId + " refused: " + reply.error());
        return false;
      } catch (IOException e) {
        log(verb + " of " + messageId + " failed (" + e.getMessage() + "), attempt " + attempt);
        Thread.sleep(500L * attempt);
      }
    }
    return false;
  }

  private void log(String line) {
    err.println("worker[" + slot + "]: " + line);
  }

  static String tail(String text, int max) {
    return text.length() <= max ? text : text.substring(text.length() - max);
  }

  /** Reads a stream to its end on a daemon thread, keeping only its last characters. */
  static final class StderrTail {
    private final StringBuilder kept = new StringBuilder();
    private final Thread reader;

    private StderrTail(InputStream in) {
      reader = new Thread(() -> {
        byte[] buffer = new byte[4096];
        try (in) {
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            append(new String(buffer, 0, n, StandardCharsets.UTF_8));
          }
        } catch (IOException e) {
          // the process went away; keep what was read
        }
      }, "worker-stderr");
      reader.setDaemon(true);
    }

    static StderrTail follow(InputStream in) {
      StderrTail tail = new StderrTail(in);
      tail.reader.start();
      return tail;
    }

    private synchronized void append(String text) {
      kept.append(text);
      if (kept.length() > 2 * STDERR_TAIL) {
        kept.delete(0, kept.length() - STDERR_TAIL);
      }
    }

    String text() throws InterruptedException {
      reader.join(2_000);
      synchronized (this) {
        return tail(kept.toString().strip(), STDERR_TAIL);
      }
    }
  }
}
