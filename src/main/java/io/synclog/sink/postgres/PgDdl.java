package io.synclog.sink.postgres;

import io.synclog.sink.warehouse.WarehouseDdl;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/** Postgres' own DDL: the staging tables (the log tables come from {@link WarehouseDdl}). */
final class PgDdl {
  private PgDdl() {}

  /** An UNLOGGED table for one run's rows of a Spark schema, plus the writing task's partition. */
  static String createStaging(String qualified, StructType schema) {
    List<String> cols = WarehouseDdl.columns(PostgresDialect.INSTANCE, schema, Map.of(), List.of());
    cols.add(PostgresDialect.INSTANCE.quote(PgCopy.PART) + " integer NOT NULL");
    return "CREATE UNLOGGED TABLE " + qualified + " (\n  " + String.join(",\n  ", cols) + "\n)";
  }
}
