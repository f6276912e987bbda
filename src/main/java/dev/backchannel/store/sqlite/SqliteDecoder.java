package dev.backchannel.store.sqlite;

import io.vertx.jdbcclient.spi.JDBCColumnDescriptorProvider;
import io.vertx.jdbcclient.spi.JDBCDecoderImpl;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Result values as sqlite-jdbc gives them (Integer, Long, Double, String, byte[] or null). The
 * default decoder builds a column descriptor for every cell, asking the driver for the column's
 * class name and loading that class each time; profiles of list reads put a third of the
 * server's CPU there. SQLite values need no coercion, and {@link RowColumns} reads them as
 * numbers or text. Registered through {@code META-INF/services}, where the Vert.x JDBC client
 * looks for its decoder.
 */
public final class SqliteDecoder extends JDBCDecoderImpl {
  @Override
  public Object parse(ResultSet rs, int pos, JDBCColumnDescriptorProvider jdbcTypeLookup) throws SQLException {
    return rs.getObject(pos);
  }
}
