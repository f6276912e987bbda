package dev.backchannel.cli;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Whether the worker is stopping (and until when running tasks may finish), and what it has done. */
final class WorkerState {
  private volatile long stopDeadline = Long.MAX_VALUE;
  private volatile boolean stopping;
  final AtomicLong acked = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong released = new AtomicLong();
  final AtomicLong lost = new AtomicLong();

  /** True the first time. */
  synchronized boolean stop(Duration grace) {
    if (stopping) {
      return false;
    }
    stopDeadline = System.nanoTime() + grace.toNanos();
    stopping = true;
    return true;
  }

  boolean stopping() {
    return stopping;
  }

  boolean graceOver() {
    return stopping && System.nanoTime() - stopDeadline >= 0;
  }

  String summary() {
    return acked.get() + " acked, " + failed.get() + " failed, " + released.get() + " released, " + lost.get()
        + " lost to another worker";
  }
}
