package io.synclog.sink.bigquery;

/**
 * A named query parameter ({@code @name} in the SQL): its GoogleSQL type and its value as text, or
 * null for NULL. Values never become SQL text.
 */
record BqParam(String name, String type, String value) {
  static BqParam string(String name, String value) {
    return new BqParam(name, "STRING", value);
  }

  static BqParam int64(String name, long value) {
    return new BqParam(name, "INT64", Long.toString(value));
  }

  @Override
  public String toString() {
    return "@" + name + " " + type + " = " + (value == null ? "NULL" : value);
  }
}
