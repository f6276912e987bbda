package dev.backchannel.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Writes log records to a stream from a thread of its own, many lines per write. The JDK's
 * console handler formats, writes and flushes every record under a lock on the logging thread,
 * which made the access log line cost an event loop a system call per request. Here the caller
 * only queues the record.
 *
 * <p>Records at {@code WARNING} and above are waited for: the caller returns once they (and
 * everything queued before them) are written, as with the console handler. When the queue is
 * full, records below {@code WARNING} are dropped and counted, and the count is written as a
 * line of its own: a logging backlog must never stall request handling.
 */
public final class QueuedLogHandler extends Handler {
  private static final int CAPACITY = 16_384;
  private static final int BATCH = 512;
  private static final long FLUSH_WAIT_MILLIS = 2_000;

  private final OutputStream out;
  private final BlockingQueue<LogRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Object progress = new Object();
  private final Thread writer;
  private volatile long written;
  private volatile boolean closed;

  public QueuedLogHandler(OutputStream out, Formatter formatter, Level level) {
    this.out = out;
    setFormatter(formatter);
    setLevel(level);
    writer = new Thread(this::drain, "log-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void publish(LogRecord record) {
    if (closed || !isLoggable(record)) {
      return;
    }
    boolean urgent = record.getLevel().intValue() >= Level.WARNING.intValue();
    synchronized (queue) {
      // queued counts in queue order, so flush() can wait for exactly what came before it
      if (!(urgent ? putUninterrupted(record) : queue.offer(record))) {
        dropped.incrementAndGet();
        return;
      }
      queued.incrementAndGet();
    }
    if (urgent) {
      flush();
    }
  }

  private boolean putUninterrupted(LogRecord record) {
    try {
      return queue.offer(record, FLUSH_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits (at most two seconds) until every record queued so far is written. */
  @Override
  public void flush() {
    long target = queued.get();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_WAIT_MILLIS);
    synchronized (progress) {
      while (written < target && writer.isAlive()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return;
        }
        try {
          progress.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    flush();
    closed = true;
    writer.interrupt();
  }

  private void drain() {
    List<LogRecord> batch = new ArrayList<>(BATCH);
    StringBuilder text = new StringBuilder(64 * BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        LogRecord first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
      } catch (InterruptedException e) {
        if (closed) {
          queue.drainTo(batch);
        } else {
          continue;
        }
      }
      queue.drainTo(batch, BATCH - batch.size());
      write(batch, text);
      batch.clear();
      text.setLength(0);
    }
  }

  private void write(List<LogRecord> batch, StringBuilder text) {
    long lost = dropped.getAndSet(0);
    if (lost > 0) {
      text.append(lost).append(" log lines dropped: the log could not keep up")
          .append(System.lineSeparator());
    }
    for (LogRecord record : batch) {
      try {
        text.append(getFormatter().format(record));
      } catch (RuntimeException e) {
        reportError("cannot format a log record", e, ErrorManager.FORMAT_FAILURE);
      }
    }
    try {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      reportError("cannot write the log", e, ErrorManager.WRITE_FAILURE);
    }
    synchronized (progress) {
      written += batch.size();
      progress.notifyAll();
    }
  }
}
