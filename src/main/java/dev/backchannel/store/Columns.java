package dev.backchannel.store;

import dev.backchannel.time.Timestamps;
import java.time.Instant;

/** One result row, read by column name, whether it came from the writer's JDBC or the read pool. */
public interface Columns {
  String text(String column);

  Long integerOrNull(String column);

  default long integer(String column) {
    Long value = integerOrNull(column);
    if (value == null) {
      throw new IllegalStateException("column " + column + " is null");
    }
    return value;
  }

  default int int32(String column) {
    return Math.toIntExact(integer(column));
  }

  default Integer int32OrNull(String column) {
    Long value = integerOrNull(column);
    return value == null ? null : Math.toIntExact(value);
  }

  default boolean flag(String column) {
    return integer(column) != 0;
  }

  /** A timestamp stored as microseconds since the epoch. */
  default Instant instant(String column) {
    return Timestamps.instant(integer(column));
  }

  default Instant instantOrNull(String column) {
    Long value = integerOrNull(column);
    return value == null ? null : Timestamps.instant(value);
  }
}
