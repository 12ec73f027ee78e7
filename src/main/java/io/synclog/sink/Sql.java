package io.synclog.sink;

/** Literal quoting for predicates the sinks build as SQL text. */
public final class Sql {
  private Sql() {}

  /** A Spark SQL string literal. */
  public static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** {@code column = 'value'}. */
  public static String eq(String column, String value) {
    return column + " = " + literal(value);
  }
}
