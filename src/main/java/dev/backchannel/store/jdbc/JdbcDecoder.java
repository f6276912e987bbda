package dev.backchannel.store.jdbc;

import io.vertx.jdbcclient.spi.JDBCColumnDescriptorProvider;
import io.vertx.jdbcclient.spi.JDBCDecoderImpl;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Result values as the driver gives them (Integer, Long, Double, String, byte[] or null; from
 * PostgreSQL also BigDecimal for sums). The default decoder builds a column descriptor for every
 * cell, asking the driver for the column's class name and loading that class each time; profiles
 * of list reads put a third of the server's CPU there. The stores' columns are numbers and text
 * (JSON is stored and aggregated as text), which {@link RowColumns} reads as they come. Registered through {@code META-INF/services}, where the Vert.x JDBC client
 * looks for its decoder.
 */
public final class JdbcDecoder extends JDBCDecoderImpl {
  @Override
  public Object parse(ResultSet rs, int pos, JDBCColumnDescriptorProvider jdbcTypeLookup) throws SQLException {
    return rs.getObject(pos);
  }
}
