package dev.backchannel.store.sqlite;

import dev.backchannel.store.RowMapper;
import dev.backchannel.time.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The prepared statements of one connection, each prepared once and reused; used by one thread only. */
final class Statements {
  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  Statements(Connection connection) {
    this.connection = connection;
  }

  /** The statement for {@code sql}, with {@code params} bound (Instant as microseconds, enum as lower-case name). */
  PreparedStatement prepare(String sql, Object... params) throws SQLException {
    PreparedStatement statement = prepared.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      prepared.put(sql, statement);
    }
    statement.clearParameters();
    for (int i = 0; i < params.length; i++) {
      bind(statement, i + 1, params[i]);
    }
    return statement;
  }

  <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
    PreparedStatement statement = prepare(sql, params);
    List<T> out = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery()) {
      ResultSetColumns columns = new ResultSetColumns(rs);
      while (rs.next()) {
        out.add(mapper.map(columns));
      }
    }
    return out;
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

  void close() {
    for (PreparedStatement statement : prepared.values()) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // closing the connection next releases it anyway
      }
    }
    prepared.clear();
  }
}
