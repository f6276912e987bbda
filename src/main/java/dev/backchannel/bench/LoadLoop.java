package dev.backchannel.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * Closed-loop load: {@code workers} independent loops, each with one operation in flight, spread
 * over the lanes. Operations that start after the warmup and before the end are measured; a loop
 * stops at the end of the window, when its operation says there is no more work, or after
 * {@link #GIVE_UP_AFTER} failures in a row.
 */
final class LoadLoop {
  static final int GIVE_UP_AFTER = 200;

  /** What one operation achieved. */
  enum Step {
    /** A unit of work: counted and timed. */
    DONE,
    /** Nothing counted (a lost race, say); go again. */
    AGAIN,
    /** No work left for this worker. */
    STOP
  }

  /** One operation of worker {@code worker}; its future must complete on the worker's lane. */
  interface Operation {
    Future<Step> run(int worker, BenchHttp.Lane lane);
  }

  /**
   * The merged outcome: latencies of measured operations, their count, the window they ran in, and
   * every operation done, warmup included.
   */
  record Outcome(Histogram latency, long done, long again, double seconds, Tally errors, long completed) {
    double rate() {
      return seconds <= 0 ? 0 : done / seconds;
    }
  }

  private LoadLoop() {}

  static Outcome run(BenchHttp http, int workers, long warmupNanos, long measureNanos, Operation operation) {
    long start = System.nanoTime();
    Window window = new Window(start + warmupNanos, start + warmupNanos + measureNanos);
    Tally errors = new Tally();
    List<Worker> all = new ArrayList<>();
    List<Future<Void>> finished = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      Worker worker = new Worker(i, http.lane(i), window, operation, errors);
      all.add(worker);
      finished.add(worker.lane.on(worker::start));
    }
    BenchHttp.await(Future.join(finished), warmupNanos / 1_000_000 + measureNanos / 1_000_000
        + BenchHttp.REQUEST_TIMEOUT_MS + 10_000);
    Histogram latency = new Histogram();
    long done = 0;
    long again = 0;
    long completed = 0;
    long lastEnd = window.from;
    for (Worker worker : all) {
      latency.merge(worker.latency);
      done += worker.done;
      completed += worker.completed;
      again += worker.again;
      lastEnd = Math.max(lastEnd, worker.lastEnd);
    }
    long end = Math.min(window.until, lastEnd);
    return new Outcome(latency, done, again, (end - window.from) / 1e9, errors, completed);
  }

  record Window(long from, long until) {}

  private static final class Worker {
    private final int index;
    private final BenchHttp.Lane lane;
    private final Window window;
    private final Operation operation;
    private final Tally errors;
    private final Histogram latency = new Histogram();
    private final Promise<Void> finished = Promise.promise();
    private long done;
    private long again;
    private long completed;
    private long lastEnd;
    private int failuresInARow;

    Worker(int index, BenchHttp.Lane lane, Window window, Operation operation, Tally errors) {
      this.index = index;
      this.lane = lane;
      this.window = window;
      this.operation = operation;
      this.errors = errors;
    }

    Future<Void> start() {
      next();
      return finished.future();
    }

    private void next() {
      long started = System.nanoTime();
      if (started >= window.until) {
        finished.tryComplete();
        return;
      }
      Future<Step> step;
      try {
        step = operation.run(index, lane);
      } catch (RuntimeException e) {
        step = Future.failedFuture(e);
      }
      step.onComplete(result -> {
        long ended = System.nanoTime();
        boolean measured = started >= window.from;
        if (result.failed()) {
          errors.add(result.cause());
          if (++failuresInARow >= GIVE_UP_AFTER) {
            errors.add("worker gave up after " + GIVE_UP_AFTER + " failures in a row");
            finished.tryComplete();
            return;
          }
        } else {
          failuresInARow = 0;
          completed += result.result() == Step.DONE ? 1 : 0;
          if (measured && result.result() == Step.DONE) {
            done++;
            latency.record((ended - started) / 1_000);
            lastEnd = ended;
          } else if (measured && result.result() == Step.AGAIN) {
            again++;
          }
          if (result.result() == Step.STOP) {
            lastEnd = Math.max(lastEnd, ended);
            finished.tryComplete();
            return;
          }
        }
        next();
      });
    }
  }
}
