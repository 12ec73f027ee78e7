package io.synclog.sink.bigquery;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;

/**
 * Runs a GoogleSQL query or multi-statement script on one PostgreSQL connection, statement by
 * statement through {@link BqToPg#any}, with the scripting that synclog's scripts use: {@code BEGIN
 * ... EXCEPTION WHEN ERROR THEN ... END}, {@code BEGIN/COMMIT/ROLLBACK TRANSACTION} (a transaction
 * is REPEATABLE READ, PostgreSQL's snapshot isolation, as BigQuery's transactions are), and {@code
 * RAISE USING MESSAGE = @@error.message}. A transaction still open when the script ends is rolled
 * back, as BigQuery does. DDL runs one statement at a time across all connections: BigQuery's
 * catalog changes are atomic, where two PostgreSQL sessions creating one table at once can collide.
 */
final class BqScript {
  private static final Object DDL = new Object();

  /**
   * The answer of a job: its result columns ({@code name TYPE}, BigQuery's types), its rows as
   * BigQuery's REST API gives them (TIMESTAMP as epoch microseconds), and the rows its DML changed.
   */
  record Answer(List<String[]> fields, List<List<String>> rows, long affected) {}

  /** A failed job, with the message BigQuery would report. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }

  private final Connection connection;
  private final List<BqParam> params;
  private Answer last = new Answer(List.of(), List.of(), 0);
  private long affected;

  private BqScript(Connection connection, List<BqParam> params) {
    this.connection = connection;
    this.params = params;
  }

  static Answer run(Connection connection, String script, List<BqParam> params) throws Failure {
    BqScript s = new BqScript(connection, params);
    try {
      s.block(parts(script), 0, Integer.MAX_VALUE);
      return new Answer(s.last.fields(), s.last.rows(), s.affected);
    } catch (SQLException e) {
      throw new Failure(message(e));
    } finally {
      try {
        if (!connection.getAutoCommit()) {
          connection.rollback();
          connection.setAutoCommit(true);
        }
      } catch (SQLException ignored) {
        // the connection is closed by the caller
      }
    }
  }

  /** The script's statements and block keywords, in order, without their semicolons. */
  static List<String> parts(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int indent = 0;
    for (String line : script.split("\n")) {
      String t = line.strip();
      if (current.isEmpty()) {
        if (t.isEmpty()) {
          continue;
        }
        if (t.equals("BEGIN") || t.equals("EXCEPTION WHEN ERROR THEN") || t.equals("END")) {
          out.add(t);
          continue;
        }
        indent = line.length() - line.stripLeading().length();
        current.append(t);
      } else {
        int cut = Math.min(indent, line.length() - line.stripLeading().length());
        current.append('\n').append(line.substring(cut));
      }
      if (t.endsWith(";")) {
        out.add(current.substring(0, current.length() - 1).strip());
        current.setLength(0);
      }
    }
    if (!current.isEmpty()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  /** Runs parts[from, to). */
  private void block(List<String> parts, int from, int to) throws SQLException, Failure {
    int i = from;
    while (i < Math.min(to, parts.size())) {
      String p = parts.get(i);
      if (p.equals("BEGIN")) {
        int handler = find(parts, i + 1, "EXCEPTION WHEN ERROR THEN");
        int end = find(parts, handler + 1, "END");
        try {
          block(parts, i + 1, handler);
        } catch (SQLException e) {
          handle(parts.subList(handler + 1, end), message(e));
        } catch (Failure e) {
          handle(parts.subList(handler + 1, end), e.getMessage());
        }
        i = end + 1;
      } else {
        execute(p);
        i++;
      }
    }
  }

  private static int find(List<String> parts, int from, String word) {
    for (int i = from; i < parts.size(); i++) {
      if (parts.get(i).equals(word)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no " + word + " in " + parts);
  }

  private void handle(List<String> handler, String error) throws SQLException, Failure {
    for (String p : handler) {
      if (p.equals("RAISE USING MESSAGE = @@error.message")) {
        throw new Failure(error);
      }
      execute(p);
    }
  }

  private void execute(String p) throws SQLException, Failure {
    switch (p) {
      case "BEGIN TRANSACTION" -> {
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      }
      case "COMMIT TRANSACTION" -> {
        connection.commit();
        connection.setAutoCommit(true);
      }
      case "ROLLBACK TRANSACTION" -> {
        connection.rollback();
        connection.setAutoCommit(true);
      }
      default -> {
        String sql = BqToPg.any(p, params);
        if (sql == null) {
          return;
        }
        claimTable(p);
        if (p.startsWith("CREATE ") || p.startsWith("ALTER ") || p.startsWith("DROP ")) {
          synchronized (DDL) {
            statement(sql);
          }
        } else {
          statement(sql);
        }
      }
    }
  }

  /**
   * In a transaction, a statement that deletes or updates rows first takes its table for the rest
   * of the transaction, or aborts the transaction if another one holds it: BigQuery cancels one of
   * two transactions that mutate the same table at once. Inserts never conflict, and a statement
   * outside a transaction waits its turn, as BigQuery queues it.
   */
  private void claimTable(String statement) throws SQLException, Failure {
    Matcher m = MUTATION.matcher(statement);
    if (connection.getAutoCommit() || !m.lookingAt()) {
      return;
    }
    try (Statement st = connection.createStatement()) {
      st.execute(
          "LOCK TABLE "
              + BqToPg.statement(m.group(1), List.of())
              + " IN SHARE ROW EXCLUSIVE MODE NOWAIT");
    } catch (SQLException e) {
      if (!"55P03".equals(e.getSQLState())) {
        throw e;
      }
      String table = m.group(1).replace("`", "").replaceFirst("\\.", ":");
      throw new Failure("Transaction is aborted due to concurrent update against table " + table);
    }
  }

  private static final Pattern MUTATION =
      Pattern.compile("(?:DELETE FROM|UPDATE|MERGE INTO) (\\S+)");

  private void statement(String sql) throws SQLException {
    try (Statement st = connection.createStatement()) {
      if (st.execute(sql)) {
        try (ResultSet rs = st.getResultSet()) {
          last = answer(rs);
        }
      } else {
        affected += Math.max(0, st.getUpdateCount());
      }
    }
  }

  private static final Map<String, String> TYPES =
      Map.of(
          "text", "STRING",
          "int8", "INT64",
          "int4", "INT64",
          "bool", "BOOL",
          "timestamptz", "TIMESTAMP",
          "date", "DATE",
          "jsonb", "JSON",
          "float8", "FLOAT64",
          "numeric", "NUMERIC");

  /** A result set as BigQuery's REST API returns it with {@code useInt64Timestamp}. */
  static Answer answer(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String[]> fields = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      String pg = md.getColumnTypeName(i).toLowerCase(Locale.ROOT);
      fields.add(new String[] {md.getColumnLabel(i), TYPES.getOrDefault(pg, "STRING")});
    }
    List<List<String>> rows = new ArrayList<>();
    while (rs.next()) {
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= fields.size(); i++) {
        row.add(cell(rs, i, fields.get(i - 1)[1]));
      }
      rows.add(row);
    }
    return new Answer(fields, rows, 0);
  }

  private static String cell(ResultSet rs, int i, String type) throws SQLException {
    if (rs.getObject(i) == null) {
      return null;
    }
    return switch (type) {
      case "TIMESTAMP" -> Long.toString(micros(rs.getObject(i, OffsetDateTime.class).toInstant()));
      case "BOOL" -> Boolean.toString(rs.getBoolean(i));
      default -> rs.getString(i);
    };
  }

  static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  /** PostgreSQL's own message, without the driver's decoration. */
  static String message(SQLException e) {
    if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
      return p.getServerErrorMessage().getMessage();
    }
    return String.valueOf(e.getMessage());
  }
}
