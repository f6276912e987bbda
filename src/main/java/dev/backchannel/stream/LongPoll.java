package dev.backchannel.stream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Long-poll without a thread per waiter (contract §5.8, extensions §3): a waiter registers with
 * its event loop's hub BEFORE the first query, so a commit landing between query and wait is
 * never missed; each commit in the channel re-runs the query until it finds something or the
 * deadline passes. At capacity a long-poll answers at once, as the contract requires.
 */
public final class LongPoll {
  private final Vertx vertx;
  private final Hub hub;
  private final AtomicInteger waiters;
  private final int maxWaiters;
  private final Duration cap;

  /** @param waiters the process-wide count of waiting requests, shared by every event loop */
  public LongPoll(Vertx vertx, Hub hub, AtomicInteger waiters, int maxWaiters, Duration cap) {
    this.vertx = vertx;
    this.hub = hub;
    this.waiters = waiters;
    this.maxWaiters = maxWaiters;
    this.cap = cap;
  }

  /**
   * Runs the query; while it is empty and time remains, waits for commits in the channel.
   *
   * @param onClose registers a handler run if the client goes away while waiting
   */
  public <T> Future<List<T>> poll(String channelId, Duration wait, Supplier<Future<List<T>>> query,
      Consumer<Runnable> onClose) {
    return poll(wake -> hub.awaitCommit(channelId, wake), wait, query, onClose);
  }

  /**
   * As {@link #poll(String, Duration, Supplier, Consumer)}, woken by whatever {@code awaitWake}
   * registers: it takes the wake-up action and returns a handle that cancels it.
   */
  public <T> Future<List<T>> poll(Function<Runnable, Runnable> awaitWake, Duration wait,
      Supplier<Future<List<T>>> query, Consumer<Runnable> onClose) {
    if (wait == null || wait.isZero() || wait.isNegative() || cap.isZero()) {
      return query.get();
    }
    if (waiters.incrementAndGet() > maxWaiters) {
      waiters.decrementAndGet();
      return query.get();
    }
    Waiter<T> waiter = new Waiter<>(awaitWake, query, wait.compareTo(cap) > 0 ? cap : wait);
    onClose.accept(waiter::abandon);
    return waiter.start();
  }

  public int waiting() {
    return waiters.get();
  }

  private final class Waiter<T> {
    private final Function<Runnable, Runnable> awaitWake;
    private final Supplier<Future<List<T>>> query;
    private final Duration wait;
    private final Promise<List<T>> result = Promise.promise();
    private Runnable cancelWake = () -> { };
    private long timer = -1;
    private boolean querying;
    private boolean dirty;
    private boolean done;

    Waiter(Function<Runnable, Runnable> awaitWake, Supplier<Future<List<T>>> query, Duration wait) {
      this.awaitWake = awaitWake;
      this.query = query;
      this.wait = wait;
    }

    Future<List<T>> start() {
      listen();
      timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
        timer = -1;
        finalQuery();
      });
      run();
      return result.future();
    }

    private void listen() {
      cancelWake = awaitWake.apply(this::onCommit);
    }

    private void onCommit() {
      if (done) {
        return;
      }
      cancelWake.run();
      listen();
      if (querying) {
        dirty = true;
      } else {
        run();
      }
    }

    private void run() {
      querying = true;
      dirty = false;
      query.get().onComplete(page -> {
        querying = false;
        if (done) {
          return;
        }
        if (page.failed()) {
          finish(page);
        } else if (!page.result().isEmpty()) {
          finish(page);
        } else if (dirty) {
          run();
        }
      });
    }

    private void finalQuery() {
      if (!done) {
        cancelWake.run();
        query.get().onComplete(this::finish);
      }
    }

    private void finish(io.vertx.core.AsyncResult<List<T>> page) {
      if (done) {
        return;
      }
      done = true;
      cancelWake.run();
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      waiters.decrementAndGet();
      result.handle(page);
    }

    void abandon() {
      if (!done) {
        done = true;
        cancelWake.run();
        if (timer >= 0) {
          vertx.cancelTimer(timer);
        }
        waiters.decrementAndGet();
      }
    }
  }
}
