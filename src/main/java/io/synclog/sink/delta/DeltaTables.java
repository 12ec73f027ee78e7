package io.synclog.sink.delta;

import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where the Delta sink's tables are and how to name them: by path ({@link PathTables}) or by
 * catalog name ({@link CatalogTables}). Everything else the sink does is plain Spark SQL on {@link
 * #sqlName} or a DataFrame read or write, the same for both.
 */
interface DeltaTables {
  /** A readable name of the place, for messages. */
  String describe();

  /** A table's name for messages: its path or {@code catalog.schema.table}. */
  String display(String logical);

  /** A table's name for SQL: {@code delta.`path`} or {@code `catalog`.`schema`.`table`}. */
  String sqlName(String logical);

  /**
   * Names in another schema beside the tables' (in their catalog; for tables by path, the session's
   * current catalog): where views over the tables go.
   */
  CatalogNames beside(String schema);

  /** Creates what the tables live in (a catalog schema), if missing. */
  void prepareNamespace();

  /** Whether the table exists with at least one commit. */
  boolean exists(String logical);

  Dataset<Row> read(String logical);

  /** The table's folder, for tables addressed by path; empty for tables by name. */
  java.util.Optional<String> location(String logical);

  /** Runs a configured Delta write against the table. */
  void write(DataFrameWriter<Row> writer, String logical);
}
