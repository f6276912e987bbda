package dev.backchannel.store.sqlite;

import dev.backchannel.error.ApiError;
import dev.backchannel.store.RowMapper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Queries on read-only connections, one per reader thread, each with its prepared statements
 * cached (as the writer's). WAL lets them run in parallel with the writer; no statement ever
 * runs on an event loop, and each answer is delivered back on the caller's context.
 *
 * <p>Plain JDBC rather than the Vert.x JDBC client: the client prepares every statement anew
 * and, for every column of every result, asks the driver for its class name and loads that
 * class (an exception each time for SQLite's declared types), which made reads the most
 * expensive part of most requests (docs/performance.md).
 */
final class ReadPool {
  private final DataSource source;
  private final ExecutorService threads;
  private final ThreadLocal<Reader> readers = new ThreadLocal<>();
  private final List<Reader> opened = new CopyOnWriteArrayList<>();
  private final AtomicInteger queued = new AtomicInteger();

  ReadPool(DataSource source, int size) {
    this.source = source;
    AtomicInteger count = new AtomicInteger();
    this.threads = Executors.newFixedThreadPool(size, task -> {
      Thread thread = new Thread(task, "backchannel-read-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  <T> Future<List<T>> list(String sql, RowMapper<T> mapper, Object... params) {
    return submit(reader -> reader.list(sql, mapper, params));
  }

  <T> Future<Optional<T>> one(String sql, RowMapper<T> mapper, Object... params) {
    return list(sql, mapper, params).map(rows -> rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0)));
  }

  /** The single value of a query whose column is named {@code n}, as {@link SqliteTx#count}. */
  Future<Long> count(String sql, Object... params) {
    return submit(reader -> {
      List<Long> rows = reader.list(sql, row -> row.integerOrNull("n"), params);
      return rows.isEmpty() || rows.get(0) == null ? 0L : rows.get(0);
    });
  }

  /** Queries waiting for a reader thread. */
  int queued() {
    return queued.get();
  }

  private interface Query<T> {
    T run(Reader reader) throws SQLException;
  }

  private <T> Future<T> submit(Query<T> query) {
    Context context = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    try {
      queued.incrementAndGet();
      threads.execute(() -> {
        queued.decrementAndGet();
        try {
          deliver(context, promise, query.run(reader()), null);
        } catch (SQLException e) {
          deliver(context, promise, null, new SqliteTx.StoreFailure("opening a read connection", e));
        } catch (RuntimeException e) {
          deliver(context, promise, null, e);
        }
      });
    } catch (RejectedExecutionException e) {
      queued.decrementAndGet();
      return Future.failedFuture(ApiError.SERVICE_UNAVAILABLE.exception("The server is shutting down"));
    }
    return promise.future();
  }

  private static <T> void deliver(Context context, Promise<T> promise, T result, Throwable failure) {
    Runnable complete = () -> {
      if (failure == null) {
        promise.complete(result);
      } else {
        promise.fail(failure);
      }
    };
    if (context == null) {
      complete.run();
    } else {
      context.runOnContext(v -> complete.run());
    }
  }

  private Reader reader() throws SQLException {
    Reader reader = readers.get();
    if (reader == null) {
      reader = new Reader(source.getConnection());
      readers.set(reader);
      opened.add(reader);
    }
    return reader;
  }

  /** Stops the reader threads (queries already queued still run) and closes their connections. */
  Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    threads.shutdown();
    Thread closer = new Thread(() -> {
      try {
        threads.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      opened.forEach(Reader::close);
      closed.complete();
    }, "backchannel-read-close");
    closer.setDaemon(true);
    closer.start();
    return closed.future();
  }

  /** One thread's connection and its statement cache. */
  private static final class Reader {
    private final Connection connection;
    private final Statements statements;

    Reader(Connection connection) {
      this.connection = connection;
      this.statements = new Statements(connection);
    }

    <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
      try {
        return statements.list(sql, mapper, params);
      } catch (SQLException e) {
        throw new SqliteTx.StoreFailure(sql, e);
      }
    }

    void close() {
      statements.close();
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the process is stopping; SQLite releases the file either way
      }
    }
  }
}
