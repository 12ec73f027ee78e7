package io.synclog.sink.snowflake;

import io.synclog.sink.warehouse.JdbcSession;

/**
 * JDBC to Snowflake. DDL must stay outside a transaction's work that needs to be atomic, because
 * Snowflake commits before and after every DDL statement.
 */
public final class SnowflakeJdbc extends JdbcSession {
  public SnowflakeJdbc(Connections connections) {
    super(connections, SnowflakeDialect.INSTANCE);
  }
}
