package io.synclog.sink.redshift;

import io.synclog.sink.warehouse.WarehouseDdl;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * Redshift's own DDL: the staging table of a write. The log tables come from {@link WarehouseDdl}
 * through {@link RedshiftDialect}.
 */
final class RsDdl {
  private RsDdl() {}

  static final String KIND = "kind";

  static String createSchema(RsNames n) {
    return WarehouseDdl.createSchema(n);
  }

  /** The tables {@code prepare()} creates; each is a no-op when the table exists. */
  static List<String> statements(RsNames n, boolean changelog) {
    return WarehouseDdl.tables(n, changelog);
  }

  /** A staging table for a union schema whose first column is {@link #KIND}. */
  static String createStaging(String qualified, StructType schema) {
    List<String> cols =
        WarehouseDdl.columns(RedshiftDialect.INSTANCE, schema, Map.of(), List.of(KIND));
    return "CREATE TABLE " + qualified + " (\n  " + String.join(",\n  ", cols) + "\n)";
  }
}
