package io.synclog.sink.redshift;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

/**
 * Small JDBC helpers that work alike on the Redshift driver and pgjdbc: parameters bound with
 * portable setters (timestamps in UTC), results read by column type, transactions that always end.
 */
final class RsJdbc {
  private RsJdbc() {}

  private static final ThreadLocal<Calendar> UTC =
      ThreadLocal.withInitial(() -> Calendar.getInstance(TimeZone.getTimeZone("UTC")));

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs work in one transaction: commits when it returns, rolls back when it throws. */
  static <T> T inTransaction(RsTarget target, Work<T> work) throws SQLException {
    try (Connection c = target.connect()) {
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
  static <T> T autoCommit(RsTarget target, Work<T> work) throws SQLException {
    try (Connection c = target.connect()) {
      return work.run(c);
    }
  }

  static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Instant t) {
        ps.setTimestamp(i + 1, Timestamp.from(t), UTC.get());
      } else if (p instanceof LocalDate d) {
        ps.setDate(i + 1, java.sql.Date.valueOf(d));
      } else if (p instanceof String s) {
        ps.setString(i + 1, s);
      } else if (p instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (p == null) {
        ps.setNull(i + 1, Types.VARCHAR);
      } else {
        throw new IllegalArgumentException("unsupported parameter type " + p.getClass());
      }
    }
    return ps;
  }

  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params)) {
      return ps.executeUpdate();
    }
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** The rows of a query; timestamps as instants, numbers as longs, the rest as strings. */
  static List<Object[]> query(Connection c, String sql, Object... params) throws SQLException {
    List<Object[]> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, sql, params);
        ResultSet rs = ps.executeQuery()) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
          row[i] = value(rs, i + 1);
        }
        out.add(row);
      }
    }
    return out;
  }

  private static Object value(ResultSet rs, int i) throws SQLException {
    Object v;
    switch (rs.getMetaData().getColumnType(i)) {
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
        Timestamp t = rs.getTimestamp(i, UTC.get());
        v = t == null ? null : t.toInstant();
      }
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> {
        long l = rs.getLong(i);
        v = rs.wasNull() ? null : l;
      }
      default -> v = rs.getString(i);
    }
    return v;
  }
}
