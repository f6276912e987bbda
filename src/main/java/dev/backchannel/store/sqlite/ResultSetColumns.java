package dev.backchannel.store.sqlite;

import dev.backchannel.store.Columns;
import java.sql.ResultSet;
import java.sql.SQLException;

/** {@link Columns} over the current row of a JDBC result set (the writer's side). */
final class ResultSetColumns implements Columns {
  private final ResultSet rs;

  ResultSetColumns(ResultSet rs) {
    this.rs = rs;
  }

  @Override
  public String text(String column) {
    try {
      return rs.getString(column);
    } catch (SQLException e) {
      throw new IllegalStateException("column " + column, e);
    }
  }

  @Override
  public Long integerOrNull(String column) {
    try {
      long value = rs.getLong(column);
      return rs.wasNull() ? null : value;
    } catch (SQLException e) {
      throw new IllegalStateException("column " + column, e);
    }
  }
}
