package dev.backchannel.store.sqlite;

import dev.backchannel.store.Columns;
import io.vertx.sqlclient.Row;

/** {@link Columns} over a row from the read pool. */
final class RowColumns implements Columns {
  private final Row row;

  RowColumns(Row row) {
    this.row = row;
  }

  @Override
  public String text(String column) {
    Object value = row.getValue(column);
    return value == null ? null : value.toString();
  }

  @Override
  public Long integerOrNull(String column) {
    Object value = row.getValue(column);
    if (value == null) {
      return null;
    }
    if (value instanceof Number number) {
      return number.longValue();
    }
    return Long.parseLong(value.toString());
  }
}
