package io.synclog.sink.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JDBC for every SQL warehouse: transactions that always end (commit when the work returns, roll
 * back when it throws), and statements whose parameters the dialect binds. A warehouse transaction
 * is the JDBC one: auto-commit off, then COMMIT.
 */
public class JdbcSession {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSession.class);

  /** Opens a JDBC connection to the warehouse. */
  @FunctionalInterface
  public interface Connections {
    Connection open() throws SQLException;
  }

  /** Work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final Connections connections;
  private final Dialect dialect;

  public JdbcSession(Connections connections, Dialect dialect) {
    this.connections = connections;
    this.dialect = dialect;
  }

  /** A driver's login properties: user and password where given, and synclog as the application. */
  public static Properties login(String user, String password) {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("ApplicationName", "synclog");
    return p;
  }

  /** Runs work in one transaction: commits when it returns, rolls back when it throws. */
  public <T> T inTransaction(Work<T> work) throws SQLException {
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

  /** Runs work on a connection in auto-commit mode. */
  public <T> T autoCommit(Work<T> work) throws SQLException {
    try (Connection c = connections.open()) {
      c.setAutoCommit(true);
      return work.run(c);
    }
  }

  /** Runs statements in order; returns the last one's update count. */
  public int update(Connection c, List<SqlStatement> statements) throws SQLException {
    return update(dialect, c, statements);
  }

  public int update(Connection c, SqlStatement s) throws SQLException {
    return update(dialect, c, s);
  }

  /** The rows of a query, each as an array of its column values as the dialect reads them. */
  public List<Object[]> query(Connection c, SqlStatement s) throws SQLException {
    return query(dialect, c, s);
  }

  /** Runs statements in order, their parameters bound by the dialect; the last update count. */
  public static int update(Dialect dialect, Connection c, List<SqlStatement> statements)
      throws SQLException {
    int count = 0;
    for (SqlStatement s : statements) {
      count = update(dialect, c, s);
    }
    return count;
  }

  public static int update(Dialect dialect, Connection c, SqlStatement s) throws SQLException {
    LOG.debug("{}", s);
    try (PreparedStatement ps = prepare(dialect, c, s)) {
      return ps.executeUpdate();
    }
  }

  /** A statement without parameters, DDL included. */
  public static void execute(Connection c, String sql) throws SQLException {
    LOG.debug("{}", sql);
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  public static List<Object[]> query(Dialect dialect, Connection c, SqlStatement s)
      throws SQLException {
    List<Object[]> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(dialect, c, s);
        ResultSet rs = ps.executeQuery()) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
          row[i] = dialect.read(rs, i + 1);
        }
        out.add(row);
      }
    }
    return out;
  }

  private static PreparedStatement prepare(Dialect dialect, Connection c, SqlStatement s)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(s.sql());
    try {
      for (int i = 0; i < s.params().size(); i++) {
        dialect.bind(ps, i + 1, s.params().get(i));
      }
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
    return ps;
  }
}
