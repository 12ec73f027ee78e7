package io.synclog.source;

/**
 * Where an input is read from: a table name, a Spark SQL query, or files at a path in a format.
 * Exactly one of table, query and path is set.
 */
public record InputSpec(String table, String query, String path, String format) {

  public static InputSpec table(String table) {
    return new InputSpec(table, null, null, null);
  }

  public static InputSpec path(String path, String format) {
    return new InputSpec(null, null, path, format);
  }

  public static InputSpec query(String query) {
    return new InputSpec(null, query, null, null);
  }

  /** How messages name the input. */
  public String describe() {
    if (table != null) {
      return "table " + table;
    }
    if (query != null) {
      return "query [" + (query.length() > 80 ? query.substring(0, 77) + "..." : query) + "]";
    }
    return format + " files at " + path;
  }
}
