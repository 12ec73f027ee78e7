package io.synclog.sink.snowflake;

import io.synclog.sink.warehouse.JdbcSession;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * JDBC connections to the account through the Snowflake JDBC driver ({@code
 * net.snowflake.client.jdbc.SnowflakeDriver}, which spark-snowflake brings). The driver is called
 * directly rather than through {@code DriverManager}, which does not see drivers that Spark loaded
 * with the user class loader.
 */
final class SnowflakeConnections implements JdbcSession.Connections {
  private final SnowflakeSettings settings;

  SnowflakeConnections(SnowflakeSettings settings) {
    this.settings = settings;
  }

  @Override
  public Connection open() throws SQLException {
    Connection c =
        new net.snowflake.client.jdbc.SnowflakeDriver()
            .connect(settings.jdbcUrl(), settings.jdbcProperties());
    if (c == null) {
      throw new SQLException("not a jdbc:snowflake: URL: " + settings.jdbcUrl());
    }
    return c;
  }
}
