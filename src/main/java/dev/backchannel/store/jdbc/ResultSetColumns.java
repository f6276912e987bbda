package dev.backchannel.store.jdbc;

import dev.backchannel.store.Columns;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link Columns} over the current row of a JDBC result set (the writer's side). Columns are
 * read by position: the driver's lookup by name is a case-insensitive scan of every column name,
 * so the names are indexed once per statement.
 */
final class ResultSetColumns implements Columns {
  private final ResultSet rs;
  private final Map<String, Integer> positions;

  ResultSetColumns(ResultSet rs, Map<String, Integer> positions) {
    this.rs = rs;
    this.positions = positions;
  }

  /** Column name to position (1-based) of a result; the same for every run of one statement. */
  static Map<String, Integer> positions(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int count = meta.getColumnCount();
    Map<String, Integer> positions = new HashMap<>(count * 2);
    for (int i = 1; i <= count; i++) {
      positions.putIfAbsent(meta.getColumnLabel(i), i);
    }
    return positions;
  }

  private int position(String column) throws SQLException {
    Integer position = positions.get(column);
    if (position == null) {
      throw new SQLException("no column " + column);
    }
    return position;
  }

  @Override
  public String text(String column) {
    try {
      return rs.getString(position(column));
    } catch (SQLException e) {
      throw new IllegalStateException("column " + column, e);
    }
  }

  @Override
  public Long integerOrNull(String column) {
    try {
      long value = rs.getLong(position(column));
      return rs.wasNull() ? null : value;
    } catch (SQLException e) {
      throw new IllegalStateException("column " + column, e);
    }
  }
}
