package dev.backchannel.store.jdbc;

import dev.backchannel.store.Committed;
import dev.backchannel.store.MemorySequencer;
import dev.backchannel.store.RowMapper;
import dev.backchannel.store.Tx;
import dev.backchannel.time.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The writer's connection as seen by one unit of work: cached prepared statements, the sequence
 * and timestamp allocators, and the events to publish after COMMIT. Used only on the writer thread.
 */
public final class JdbcTx implements Tx {
  private Connection connection;
  private final Clock clock;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Map<String, Map<String, Integer>> columnPositions = new HashMap<>();
  private final List<Committed> pending = new ArrayList<>();
  private final List<Runnable> actions = new ArrayList<>();
  private final WriterChannelRows channelRows = new WriterChannelRows();
  private final MemorySequencer sequencer;
  private Instant now;

  JdbcTx(Connection connection, Clock clock, MemorySequencer sequencer) {
    this.connection = connection;
    this.clock = clock;
    this.sequencer = sequencer;
  }

  /** Starts a unit of work: fixes its clock reading and clears its events and actions. */
  void begin() {
    now = Timestamps.truncate(clock.instant());
    pending.clear();
    actions.clear();
  }

  List<Committed> takeEvents() {
    List<Committed> events = List.copyOf(pending);
    pending.clear();
    return events;
  }

  List<Runnable> takeActions() {
    List<Runnable> taken = List.copyOf(actions);
    actions.clear();
    return taken;
  }

  WriterChannelRows channelRows() {
    return channelRows;
  }

  /** Something rolled back: lookups made since may have seen rows that no longer exist. */
  void rolledBack() {
    channelRows.forget();
  }

  MemorySequencer sequencer() {
    return sequencer;
  }

  @Override
  public Instant now() {
    if (now == null) {
      begin();
    }
    return now;
  }

  @Override
  public long nextSeq() {
    return sequencer.nextSeq();
  }

  @Override
  public Instant nextCreatedAt() {
    return sequencer.nextCreatedAt(now());
  }

  @Override
  public void emit(Committed event) {
    pending.add(event);
  }

  @Override
  public void afterCommit(Runnable action) {
    actions.add(action);
  }

  public int update(String sql, Object... params) {
    try {
      PreparedStatement statement = prepare(sql, params);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new StoreFailure(sql, e);
    }
  }

  public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
    try {
      PreparedStatement statement = prepare(sql, params);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        Map<String, Integer> positions = columnPositions.get(sql);
        if (positions == null) {
          positions = ResultSetColumns.positions(rs);
          columnPositions.put(sql, positions);
        }
        ResultSetColumns columns = new ResultSetColumns(rs, positions);
        while (rs.next()) {
          out.add(mapper.map(columns));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreFailure(sql, e);
    }
  }

  public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = list(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
  }

  public long count(String sql, Object... params) {
    return one(sql, row -> row.integerOrNull("n"), params).map(n -> n == null ? 0L : n).orElse(0L);
  }

  public boolean exists(String sql, Object... params) {
    return !list(sql, row -> Boolean.TRUE, params).isEmpty();
  }

  /** The writer's connection, for the {@link Dialect} to open and end transactions on. */
  public Connection connection() {
    return connection;
  }

  /** Runs SQL text with no parameters and no result (transaction control). */
  public void execute(String sql) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private PreparedStatement prepare(String sql, Object... params) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    }
    statement.clearParameters();
    for (int i = 0; i < params.length; i++) {
      bind(statement, i + 1, params[i]);
    }
    return statement;
  }

  private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.NULL);
    } else if (value instanceof Instant instant) {
      statement.setLong(index, Timestamps.micros(instant));
    } else if (value instanceof Boolean flag) {
      statement.setInt(index, flag ? 1 : 0);
    } else if (value instanceof Enum<?> constant) {
      statement.setString(index, constant.name().toLowerCase(java.util.Locale.ROOT));
    } else if (value instanceof byte[] bytes) {
      statement.setBytes(index, bytes);
    } else {
      statement.setObject(index, value);
    }
  }

  /** Continues on a new connection (the old one broke); statements are prepared afresh. */
  void useConnection(Connection fresh) {
    closeStatements();
    connection = fresh;
  }

  void closeStatements() {
    for (PreparedStatement statement : statements.values()) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // closing the connection next releases it anyway
      }
    }
    statements.clear();
    columnPositions.clear();
  }

  /** A statement the database refused; the unit of work fails and its changes roll back. */
  public static final class StoreFailure extends RuntimeException {
    private final int resultCode;

    StoreFailure(String sql, SQLException cause) {
      super(cause.getMessage() + " [" + sql.strip().split("\n")[0] + "]", cause);
      this.resultCode = cause.getErrorCode();
    }

    public boolean isConstraintViolation() {
      return (resultCode & 0xff) == 19; // SQLITE_CONSTRAINT
    }
  }
}
