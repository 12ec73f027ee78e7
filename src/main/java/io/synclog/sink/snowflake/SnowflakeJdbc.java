package io.synclog.sink.snowflake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link SqlStatement}s over JDBC connections from a {@link Connections} factory: transactions
 * that always end (commit when the work returns, roll back when it throws), and parameter binding.
 * A Snowflake transaction is the JDBC one: auto-commit off, then COMMIT. DDL must stay outside a
 * transaction, because Snowflake commits before and after every DDL statement.
 */
public final class SnowflakeJdbc {
  private static final Logger LOG = LoggerFactory.getLogger(SnowflakeJdbc.class);

  /** Opens a JDBC connection to the warehouse. */
  @FunctionalInterface
  public interface Connections {
    Connection open() throws SQLException;
  }

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final Connections connections;

  public SnowflakeJdbc(Connections connections) {
    this.connections = connections;
  }

  <T> T inTransaction(Work<T> work) throws SQLException {
    try (Connection c = connections.open()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        throw e;
      }
    }
  }

  <T> T autoCommit(Work<T> work) throws SQLException {
    try (Connection c = connections.open()) {
      c.setAutoCommit(true);
      return work.run(c);
    }
  }

  static int update(Connection c, SqlStatement s) throws SQLException {
    LOG.debug("{}", s);
    try (PreparedStatement ps = prepare(c, s)) {
      return ps.executeUpdate();
    }
  }

  static void execute(Connection c, String sql) throws SQLException {
    LOG.debug("{}", sql);
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** The rows of a query, each as an array of its column values. */
  static List<Object[]> query(Connection c, SqlStatement s) throws SQLException {
    List<Object[]> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, s);
        ResultSet rs = ps.executeQuery()) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
          row[i] = rs.getObject(i + 1);
        }
        out.add(row);
      }
    }
    return out;
  }

  private static PreparedStatement prepare(Connection c, SqlStatement s) throws SQLException {
    PreparedStatement ps = c.prepareStatement(s.sql());
    for (int i = 0; i < s.params().size(); i++) {
      Object p = s.params().get(i);
      int at = i + 1;
      if (p == null) {
        ps.setNull(at, Types.VARCHAR);
      } else if (p instanceof String v) {
        ps.setString(at, v);
      } else if (p instanceof Long v) {
        ps.setLong(at, v);
      } else if (p instanceof Integer v) {
        ps.setInt(at, v);
      } else if (p instanceof Boolean v) {
        ps.setBoolean(at, v);
      } else if (p instanceof java.sql.Date v) {
        ps.setDate(at, v);
      } else {
        throw new IllegalArgumentException("cannot bind " + p.getClass().getName());
      }
    }
    return ps;
  }
}
