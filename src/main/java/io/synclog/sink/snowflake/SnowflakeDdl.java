package io.synclog.sink.snowflake;

import io.synclog.sink.warehouse.WarehouseDdl;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/** Snowflake's DDL: the log tables from {@link WarehouseDdl}, and its own staging tables. */
final class SnowflakeDdl {
  private SnowflakeDdl() {}

  static String type(DataType t) {
    return SnowflakeDialect.type(t);
  }

  static String createSchema(SnowflakeNames n) {
    return WarehouseDdl.createSchema(n);
  }

  /** The tables {@code prepare()} creates; each is a no-op when the table exists. */
  static List<String> tables(SnowflakeNames n, boolean changelog) {
    return WarehouseDdl.tables(n, changelog);
  }

  static String addSplitGroup(SnowflakeNames n, String logical) {
    return WarehouseDdl.addSplitGroup(n, logical);
  }

  /**
   * A TRANSIENT table (no Fail-safe: its rows never need recovering) for one run's rows, with
   * {@code fields} as VARCHAR: the connector loads strings, the commit parses them into VARIANT.
   */
  static List<String> createStaging(String qualified, StructType schema) {
    return List.of(
        dropStaging(qualified),
        "CREATE TRANSIENT TABLE "
            + qualified
            + " (\n  "
            + String.join(
                ",\n  ",
                WarehouseDdl.columns(SnowflakeDialect.INSTANCE, schema, Map.of(), List.of()))
            + "\n)");
  }

  static String dropStaging(String qualified) {
    return WarehouseDdl.drop(qualified);
  }
}
