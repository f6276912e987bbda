package dev.backchannel.store.jdbc;

import dev.backchannel.store.Columns;
import io.vertx.sqlclient.Row;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * {@link Columns} over a row from the read pool. Columns are found through an index built once
 * per result: {@code Row.getValue(String)} searches the column names linearly, which showed up
 * as the top frame of list reads.
 */
final class RowColumns implements Columns {
  private final Row row;
  private final Map<String, Integer> columns;

  RowColumns(Row row, Map<String, Integer> columns) {
    this.row = row;
    this.columns = columns;
  }

  static Map<String, Integer> indexOf(List<String> names) {
    Map<String, Integer> index = new HashMap<>(names.size() * 2);
    for (int i = 0; i < names.size(); i++) {
      index.putIfAbsent(names.get(i), i);
    }
    return index;
  }

  private Object value(String column) {
    Integer position = columns.get(column);
    if (position == null) {
      throw new NoSuchElementException("No column '" + column + "' in the result");
    }
    return row.getValue(position);
  }

  @Override
  public String text(String column) {
    Object value = value(column);
    return value == null ? null : value.toString();
  }

  @Override
  public Long integerOrNull(String column) {
    Object value = value(column);
    if (value == null) {
      return null;
    }
    if (value instanceof Number number) {
      return number.longValue();
    }
    return Long.parseLong(value.toString());
  }
}
