package io.synclog.sql;

/**
 * Literal quoting for the Spark SQL that synclog builds as text: the Delta sink's statements and
 * the audit queries. Shared, so both quote a value the same way.
 */
public final class SparkSql {
  private SparkSql() {}

  /** A Spark SQL string literal. */
  public static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** {@code column = 'value'}. */
  public static String eq(String column, String value) {
    return column + " = " + literal(value);
  }
}
