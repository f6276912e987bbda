package dev.backchannel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code worker --url U --key K --channel C [options] -- CMD...}: claims tasks with claim-next and
 * a lease, runs CMD once per task with the task on stdin, heartbeats the lease while it runs,
 * acks on exit 0 (claiming the next task in the same request) and nacks with the tail of stderr
 * otherwise. SIGTERM stops claiming, lets running tasks finish within {@code --grace} seconds and
 * releases the ones that do not.
 */
public final class WorkerCommand {
  public static final String USAGE = """
      usage: worker --url URL --key KEY --channel C [options] -- CMD [ARG...]

      Claims tasks from C with claim-next and a lease, runs CMD once per task with the task's
      content on stdin, renews the lease while CMD runs, acks on exit 0 (and claims the next task
      in the same request) and nacks with the tail of stderr otherwise. CMD sees
      BACKCHANNEL_MESSAGE_ID, BACKCHANNEL_CHANNEL, BACKCHANNEL_FENCE, BACKCHANNEL_DELIVERY and
      BACKCHANNEL_METADATA.

        --concurrency N   tasks run at once (default 1)
        --lease S         lease length in seconds, 30..3600 (default 300); renewed every S/3
        --wait S          how long one claim-next waits for a task (default 10)
        --actor NAME      claim as this actor (default: the key's own)
        --match JSON      claim only tasks whose metadata has these values
        --timeout S       stop CMD after S seconds and nack the task
        --grace S         after SIGTERM, how long running tasks may finish before they are
                          stopped and released (default 30)
        --drain           exit once the channel has nothing to claim
        --max-tasks N     exit after N tasks
        --json            CMD gets the whole message as JSON on stdin instead of its content
      The key may come from BACKCHANNEL_API_KEY and the URL from BACKCHANNEL_URL.
      """;
  private static final int MAX_CONSECUTIVE_FAILURES = 60;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final WorkerOptions options;
  private final CliClient client;
  private final PrintStream err;
  private final WorkerState state = new WorkerState();
  private final AtomicLong claimed = new AtomicLong();
  private final AtomicInteger fatal = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();

  /**
   * A task may be taken (by claim-next, or by an ack asking for the next one) while the worker is
   * not stopping and has tasks left under {@code --max-tasks}.
   */
  private final TaskRun.NextTask nextTask = new TaskRun.NextTask() {
    @Override
    public boolean reserve() {
      if (state.stopping() || fatal.get() > 0) {
        return false;
      }
      if (claimed.incrementAndGet() > options.maxTasks()) {
        claimed.decrementAndGet();
        return false;
      }
      return true;
    }

    @Override
    public void unreserve() {
      claimed.decrementAndGet();
    }
  };

  private WorkerCommand(WorkerOptions options, CliClient client, PrintStream err) {
    this.options = options;
    this.client = client;
    this.err = err;
  }

  public static int run(List<String> argv, PrintStream err) {
    WorkerOptions options;
    Connection connection;
    try {
      options = WorkerOptions.parse(argv);
      connection = Connection.of(options.args());
    } catch (Connection.UsageException | IllegalArgumentException e) {
      err.println("worker: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    WorkerCommand worker = new WorkerCommand(options, connection.client(), err);
    Signals.onTermination(worker::stop);
    return worker.work();
  }

  private void stop() {
    if (state.stop(options.grace())) {
      err.println("worker: stopping: no new claims; running tasks get " + options.grace().toSeconds() + " s to finish");
    }
  }

  private int work() {
    err.println("worker: " + options.concurrency() + " worker(s) on channel " + options.channel() + ": "
        + String.join(" ", options.command()));
    List<Thread> threads = new ArrayList<>();
    for (int slot = 1; slot <= options.concurrency(); slot++) {
      int number = slot;
      Thread thread = new Thread(() -> loop(number), "worker-" + slot);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
      }
    }
    err.println("worker: finished: " + state.summary());
    return fatal.get() > 0 ? 1 : 0;
  }

  private void loop(int slot) {
    int failures = 0;
    while (nextTask.reserve()) {
      try {
        CliClient.Reply reply = client.post(options.channelPath() + "/claim-next", claimBody(), options.claimWait());
        failures = 0;
        if (reply.status() == 204) {
          nextTask.unreserve();
          // a task still running here may yet be handed back (nacked or released): wait for it
          if (options.drain() && running.get() == 0) {
            return;
          }
        } else if (reply.ok()) {
          running.incrementAndGet();
          try {
            for (JsonNode lease = reply.body(); lease != null; ) {
              lease = new TaskRun(slot, lease, options, client, state, err, nextTask).run();
            }
          } finally {
            running.decrementAndGet();
          }
        } else {
          nextTask.unreserve();
          if (reply.status() != 429 && reply.status() < 500) {
            err.println("worker[" + slot + "]: claim refused: " + reply.error());
            fatal.incrementAndGet();
            return;
          }
          failures = backoff(slot, ++failures, reply.error());
        }
      } catch (IOException e) {
        nextTask.unreserve();
        failures = backoff(slot, ++failures, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private int backoff(int slot, int failures, String why) {
    if (failures > MAX_CONSECUTIVE_FAILURES) {
      err.println("worker[" + slot + "]: giving up after " + MAX_CONSECUTIVE_FAILURES + " failures: " + why);
      fatal.incrementAndGet();
      return failures;
    }
    err.println("worker[" + slot + "]: " + why + "; retrying");
    try {
      Thread.sleep(Math.min(MAX_BACKOFF_MILLIS, 200L * failures));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return failures;
  }

  private ObjectNode claimBody() {
    ObjectNode body = CliClient.JSON.createObjectNode();
    body.put("lease_seconds", options.lease().toSeconds());
    body.put("wait", options.claimWait().toMillis() / 1000.0);
    if (options.actor() != null) {
      body.put("actor", options.actor());
    }
    JsonNode match = options.match();
    if (match != null) {
      body.set("match", match);
    }
    return body;
  }

  static Duration seconds(String value, String flag) {
    try {
      return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + flag + " must be a number of seconds");
    }
  }
}
