package io.synclog.sink.snowflake;

import static io.synclog.plan.Columns.FIELDS;

import io.synclog.log.RunRecord;
import io.synclog.plan.Columns;
import io.synclog.sink.warehouse.SqlStatement;
import io.synclog.sink.warehouse.WarehouseSql;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Snowflake's statements: the shared ones ({@link WarehouseSql}), the runs row merged, and the
 * queries the connector reads back.
 */
final class SnowflakeSql extends WarehouseSql {
  SnowflakeSql(SnowflakeNames names) {
    super(names);
  }

  /** Inserts the run's row, or overwrites it when an earlier attempt got that far. */
  SqlStatement mergeRun(RunRecord run) {
    return upsertRun(run);
  }

  /**
   * A query over a table's columns in the Spark schema's order, {@code fields} given back as JSON
   * text, a missing split_group as NULL. The reader adds the sync/run filter, which the connector
   * pushes down.
   */
  String selectAll(String logical, StructType schema, boolean variantFields, boolean splits) {
    List<String> select = new ArrayList<>();
    for (StructField f : schema.fields()) {
      String col = c(f.name());
      if (f.name().equals(FIELDS) && variantFields) {
        select.add("TO_JSON(" + col + ") AS " + col);
      } else if (f.name().equals(Columns.SPLIT_GROUP) && !splits) {
        select.add("CAST(NULL AS VARCHAR) AS " + col);
      } else {
        select.add(col);
      }
    }
    return "SELECT " + String.join(", ", select) + " FROM " + q(logical);
  }
}
