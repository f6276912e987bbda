package dev.backchannel.store.jdbc;

import dev.backchannel.store.RowMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Queries on read-only connections of a {@link JDBCPool}, in parallel with the writer (on SQLite
 * through WAL); each statement runs on a Vert.x worker thread, never on the event loop.
 */
public final class ReadPool {
  private final Pool pool;
  private final Dialect dialect;

  public ReadPool(Vertx vertx, DataSource source, int size, String name, Dialect dialect) {
    this.pool = JDBCPool.pool(vertx, source, new PoolOptions().setMaxSize(size).setName(name));
    this.dialect = dialect;
  }

  <T> Future<List<T>> list(String sql, RowMapper<T> mapper, Object... params) {
    return execute(sql, params).map(rows -> {
      List<T> out = new ArrayList<>(rows.size());
      Map<String, Integer> columns = RowColumns.indexOf(rows.columnsNames());
      for (Row row : rows) {
        out.add(mapper.map(new RowColumns(row, columns)));
      }
      return out;
    });
  }

  <T> Future<Optional<T>> one(String sql, RowMapper<T> mapper, Object... params) {
    return list(sql, mapper, params).map(rows -> rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0)));
  }

  public Future<Long> count(String sql, Object... params) {
    return execute(sql, params).map(rows -> {
      Object value = rows.iterator().next().getValue(0);
      return value == null ? 0L : ((Number) value).longValue();
    });
  }

  private Future<RowSet<Row>> execute(String sql, Object... params) {
    return pool.preparedQuery(sql).execute(Tuple.wrap(new ArrayList<>(Arrays.asList(params))))
        .recover(this::translate);
  }

  /** A lookup by text the database cannot hold can match nothing; it is bad input, not a fault. */
  private Future<RowSet<Row>> translate(Throwable failure) {
    if (failure instanceof SQLException sql && dialect.isUnstorableText(sql)) {
      return Future.failedFuture(Unstorable.refusal());
    }
    return Future.failedFuture(failure);
  }

  Future<Void> close() {
    return pool.close();
  }
}
