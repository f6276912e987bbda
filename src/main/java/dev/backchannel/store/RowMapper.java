package dev.backchannel.store;

/** Turns one row into a domain value. */
@FunctionalInterface
public interface RowMapper<T> {
  T map(Columns row);
}
