package dev.backchannel.store.jdbc;

import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import dev.backchannel.store.MemorySequencer;
import dev.backchannel.store.WriteWork;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The only code of this process that changes the database. One thread, one connection, group
 * commit: it takes everything queued (up to a batch limit), runs each unit of work in its own
 * SAVEPOINT inside one transaction, and only after COMMIT completes the callers' futures and
 * publishes the committed events. A 2xx built on one of these futures is therefore durable.
 *
 * <p>Transactions run on a plain JDBC connection, never through the JDBC client's transaction API
 * (stack-notes gotcha 1); the {@link Dialect} says how to open and end them on each database.
 */
public final class JdbcWriter {
  private static final Logger LOG = Logger.getLogger(JdbcWriter.class.getName());
  private static final int QUEUE_CAPACITY = 100_000;
  /** How every transaction stores what it allocated: one counters row per name, committed with it. */
  public static final String SAVE_COUNTER = "UPDATE counters SET value = ? WHERE name = ?";

  private final DataSource source;
  private final Dialect dialect;
  private Connection connection;
  private final JdbcTx tx;
  private final int maxBatch;
  private final Metrics metrics;
  private final Consumer<List<Committed>> onCommit;
  private final BlockingQueue<Job<?>> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean accepting = true;
  private volatile boolean failed;
  private volatile long lastCommitNanos = System.nanoTime();
  private final AtomicLong commits = new AtomicLong();

  public JdbcWriter(DataSource source, Dialect dialect, Clock clock, int maxBatch, Metrics metrics,
      Consumer<List<Committed>> onCommit) throws SQLException {
    this.source = source;
    this.dialect = dialect;
    this.connection = source.getConnection();
    this.maxBatch = maxBatch;
    this.metrics = metrics;
    this.onCommit = onCommit;
    MemorySequencer sequencer = new MemorySequencer(counter("last_seq"), counter("last_created_at"));
    dialect.openWriter(connection);
    this.tx = new JdbcTx(connection, clock, sequencer);
    this.thread = new Thread(this::run, "backchannel-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private long counter(String name) throws SQLException {
    try (var statement = connection.prepareStatement("SELECT value FROM counters WHERE name = ?")) {
      statement.setString(1, name);
      try (var rs = statement.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    }
  }

  /** Queues the work; the future completes on the caller's context after the COMMIT holding it. */
  public <T> Future<T> submit(WriteWork<T> work) {
    Context context = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    if (failed || !thread.isAlive()) {
      return Future.failedFuture(ApiError.STORAGE_UNAVAILABLE.exception("The database writer has stopped"));
    }
    if (!accepting) {
      return Future.failedFuture(ApiError.SERVICE_UNAVAILABLE.exception("The server is shutting down"));
    }
    if (!queue.offer(new Job<>(work, promise, context))) {
      return Future.failedFuture(ApiError.STORAGE_UNAVAILABLE.exception("The write queue is full; retry shortly"));
    }
    return promise.future();
  }

  /** Transactions committed so far (see {@code Store.commits}). */
  public long commits() {
    return commits.get();
  }

  public int queued() {
    return queue.size();
  }

  /** Seconds since the writer last finished a batch, or 0 while idle with nothing queued. */
  public double stalledSeconds() {
    return queue.isEmpty() ? 0 : (System.nanoTime() - lastCommitNanos) / 1e9;
  }

  public boolean isAlive() {
    return thread.isAlive();
  }

  private void run() {
    List<Job<?>> batch = new ArrayList<>(maxBatch);
    try {
      while (accepting || !queue.isEmpty()) {
        Job<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          lastCommitNanos = System.nanoTime();
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        runBatch(batch);
        batch.clear();
        lastCommitNanos = System.nanoTime();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (accepting) {
        LOG.severe("the database writer stopped while the server was running; writes now fail with 503");
        failed = true;
      }
      // Whatever ended the loop, nothing may wait for this thread any more: refuse new work and
      // fail what was taken or queued, so every request is still answered.
      accepting = false;
      RuntimeException refusal = failed
          ? ApiError.STORAGE_UNAVAILABLE.exception("The database writer has stopped")
          : ApiError.SERVICE_UNAVAILABLE.exception("The server is shutting down");
      failAll(List.copyOf(batch), refusal);
      failAll(List.copyOf(queue), refusal);
      closeConnection();
      stopped.countDown();
    }
  }

  private void runBatch(List<Job<?>> batch) {
    long started = System.nanoTime();
    try {
      if (dialect.shared()) {
        tx.channelRows().forget();
      }
      dialect.begin(tx, tx.sequencer());
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "cannot begin a write transaction: " + e.getMessage());
      rollback();
      failAll(batch, unavailable(e));
      reconnectIfBroken();
      return;
    }
    List<Committed> events = new ArrayList<>();
    List<Runnable> actions = new ArrayList<>();
    try {
      for (Job<?> job : batch) {
        runJob(job, events, actions);
      }
      saveCounters();
      dialect.beforeCommit(tx, tx.sequencer(), events);
      dialect.commit(tx);
      commits.incrementAndGet();
    } catch (SQLException | RuntimeException e) {
      LOG.log(Level.WARNING, "write transaction failed, rolling back " + batch.size() + " writes: " + e.getMessage());
      rollback();
      failAll(batch, unavailable(e));
      reconnectIfBroken();
      return;
    }
    metrics.writerBatch(batch.size(), System.nanoTime() - started);
    actions.forEach(JdbcWriter::runQuietly);
    publish(events);
    dialect.afterCommit(tx.sequencer(), events);
    completeAll(batch);
  }

  private <T> void runJob(Job<T> job, List<Committed> events, List<Runnable> actions) throws SQLException {
    tx.execute("SAVEPOINT unit");
    tx.begin();
    try {
      job.result = job.work.run(tx);
      tx.execute("RELEASE unit");
      events.addAll(tx.takeEvents());
      actions.addAll(tx.takeActions());
    } catch (Exception | StackOverflowError e) {
      // A stack overflow (deep recursion on hostile input) ends only this unit of work; left
      // alone it would end the writer thread and with it every write of the process.
      tx.takeEvents();
      tx.takeActions();
      tx.execute("ROLLBACK TO unit");
      tx.execute("RELEASE unit");
      tx.rolledBack();
      job.failure = e instanceof ApiException api ? api : unexpected(e);
    }
  }

  private void saveCounters() {
    tx.update(SAVE_COUNTER, tx.sequencer().lastSeq(), "last_seq");
    tx.update(SAVE_COUNTER, tx.sequencer().lastCreatedAt(), "last_created_at");
  }

  private void rollback() {
    tx.rolledBack();
    try {
      dialect.rollback(tx);
    } catch (SQLException ignored) {
      // the database may already have rolled back (I/O error, lost connection); nothing is left to undo
    }
  }

  /** After a failed batch: a connection the database dropped is replaced, so later batches can succeed. */
  private void reconnectIfBroken() {
    try {
      if (connection.isValid(2)) {
        return;
      }
    } catch (SQLException ignored) {
      // treated as broken
    }
    try {
      Connection fresh = source.getConnection();
      dialect.openWriter(fresh);
      tx.closeStatements();
      closeQuietly(connection);
      connection = fresh;
      tx.useConnection(fresh);
      LOG.info("the database writer reconnected");
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "the database writer cannot reconnect yet: " + e.getMessage());
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // already unusable
    }
  }

  private static void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "an after-commit action failed", e);
    }
  }

  private void publish(List<Committed> events) {
    if (events.isEmpty()) {
      return;
    }
    try {
      onCommit.accept(events);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "publishing committed events failed", e);
    }
  }

  private Exception unexpected(Throwable e) {
    if (e instanceof JdbcTx.StoreFailure failure && failure.getCause() instanceof SQLException sql) {
      if (dialect.isStorageFault(sql)) {
        return unavailable(sql);
      }
      if (dialect.isUnstorableText(sql)) {
        return Unstorable.refusal();
      }
    }
    LOG.log(Level.SEVERE, "write failed", e);
    return e instanceof Exception exception ? exception : new IllegalStateException(e.toString(), e);
  }

  private static ApiException unavailable(Throwable cause) {
    return ApiError.STORAGE_UNAVAILABLE.exception("The database cannot accept writes right now; the write was not applied");
  }

  private void completeAll(List<Job<?>> batch) {
    Map<Context, List<Job<?>>> byContext = new IdentityHashMap<>();
    for (Job<?> job : batch) {
      if (job.context == null) {
        job.complete();
      } else {
        byContext.computeIfAbsent(job.context, c -> new ArrayList<>()).add(job);
      }
    }
    byContext.forEach((context, jobs) -> context.runOnContext(v -> jobs.forEach(Job::complete)));
  }

  private void failAll(List<Job<?>> jobs, Exception failure) {
    for (Job<?> job : jobs) {
      job.result = null;
      job.failure = failure;
    }
    completeAll(jobs);
  }

  /** Stops accepting work, finishes what is queued, lets the dialect close up (SQLite checkpoints) and closes. */
  public void close(long timeoutMillis) {
    accepting = false;
    try {
      if (!stopped.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
        thread.interrupt();
        stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeConnection() {
    try {
      tx.closeStatements();
    } finally {
      dialect.closeWriter(tx);
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "closing the writer connection failed: " + e.getMessage());
    }
  }

  private static final class Job<T> {
    final WriteWork<T> work;
    final Promise<T> promise;
    final Context context;
    T result;
    Exception failure;

    Job(WriteWork<T> work, Promise<T> promise, Context context) {
      this.work = work;
      this.promise = promise;
      this.context = context;
    }

    void complete() {
      if (failure != null) {
        promise.tryFail(failure);
      } else {
        promise.tryComplete(result);
      }
    }
  }
}
