package io.synclog.sink.warehouse;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One SQL statement and its bound parameters. Values are always bound; {@link #render()} inlines
 * them as SQL literals only to show a statement in a log line or a test failure.
 *
 * @param sql the text, with {@code ?} for each parameter
 * @param params String, Long, Boolean or {@link java.sql.Date} values, or null (a null VARCHAR)
 */
public record SqlStatement(String sql, List<Object> params) {
  public SqlStatement {
    params = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(params));
  }

  public static SqlStatement of(String sql, Object... params) {
    return new SqlStatement(sql, Arrays.asList(params));
  }

  /**
   * A string literal for reading: quotes doubled, backslashes escaped (they start escapes in
   * Snowflake).
   */
  public static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  private static String inline(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof Long || v instanceof Integer || v instanceof BigDecimal) {
      return v.toString();
    }
    if (v instanceof Boolean b) {
      return b ? "TRUE" : "FALSE";
    }
    if (v instanceof java.sql.Date d) {
      return "DATE " + literal(d.toLocalDate().toString());
    }
    return literal(v.toString());
  }

  /** The statement with its parameters inlined, for reading only. */
  public String render() {
    StringBuilder out = new StringBuilder();
    int p = 0;
    boolean inString = false;
    for (char ch : sql.toCharArray()) {
      if (ch == '\'') {
        inString = !inString;
      }
      if (ch == '?' && !inString && p < params.size()) {
        out.append(inline(params.get(p++)));
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return render();
  }

  public static String joined(List<SqlStatement> statements) {
    return statements.stream().map(SqlStatement::render).collect(Collectors.joining(";\n"));
  }
}
