package io.synclog.plan;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Turns the raw model extract into the rows the diff compares: {@code row_id}, canonical {@code
 * fields} JSON, {@code fields_hash} and {@code split_group} (null when the sync uses no splits).
 * Pure.
 */
public final class ModelRows {
  private ModelRows() {}

  /** How rows are assigned to split groups, if at all. */
  public record Splits(Optional<String> column, Map<String, Integer> groups) {
    public static Splits none() {
      return new Splits(Optional.empty(), Map.of());
    }

    public boolean used() {
      return column.isPresent() || !groups.isEmpty();
    }
  }

  public static Dataset<Row> prepare(Dataset<Row> model, String primaryKey, Splits splits) {
    Column fields =
        to_json(
            expr(CanonicalFields.structExpression(model.schema())), CanonicalFields.JSON_OPTIONS);
    Column splitColumn =
        splits.column().isPresent()
            ? col(CanonicalFields.quote(splits.column().get())).cast("string")
            : lit(null).cast("string");
    Dataset<Row> rows =
        model.select(
            col(CanonicalFields.quote(primaryKey)).cast("string").as(Columns.ROW_ID),
            fields.as(Columns.FIELDS),
            splitColumn.as(Columns.SPLIT_GROUP));
    rows = rows.withColumn(Columns.FIELDS_HASH, xxhash64(col(Columns.FIELDS)));
    if (!splits.groups().isEmpty()) {
      rows = rows.withColumn(Columns.SPLIT_GROUP, hashedGroup(splits.groups()));
    }
    return rows;
  }

  /**
   * Assigns each row to a group by a stable hash of its row_id (buckets 0 to 99, groups taking
   * consecutive ranges in the order configured), so membership never flaps between runs.
   */
  static Column hashedGroup(Map<String, Integer> groups) {
    Column bucket = pmod(xxhash64(col(Columns.ROW_ID)), lit(100L));
    Column group = null;
    int upper = 0;
    for (Map.Entry<String, Integer> g : groups.entrySet()) {
      upper += g.getValue();
      Column inGroup = bucket.lt(upper);
      group = group == null ? when(inGroup, g.getKey()) : group.when(inGroup, g.getKey());
    }
    return group;
  }
}
