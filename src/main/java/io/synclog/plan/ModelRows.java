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
import org.apache.spark.sql.types.StructType;

/**
 * Turns the raw model extract into the rows the diff compares: {@code row_id}, {@code fields},
 * {@code fields_hash} and {@code split_group} (null when the sync uses no splits). Pure.
 *
 * <p>{@code fields} is the canonical struct of the row's columns, not yet its JSON: the diff
 * compares {@link FieldsHash hashes of the typed values} and writes the JSON ({@link #fieldsJson})
 * only for the rows it plans, a small share of a usual run.
 */
public final class ModelRows {
  private ModelRows() {}

  /**
   * Plan column (internal): {@code xxhash64} of the row's canonical JSON, the hash snapshots held
   * before {@link FieldsHash}; present only while a sync's snapshot still holds such hashes.
   */
  public static final String JSON_HASH = "json_hash";

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
    StructType schema = model.schema();
    Column splitColumn =
        splits.column().isPresent()
            ? col(CanonicalFields.quote(splits.column().get())).cast("string")
            : lit(null).cast("string");
    Dataset<Row> rows =
        model.select(
            col(CanonicalFields.quote(primaryKey)).cast("string").as(Columns.ROW_ID),
            expr(CanonicalFields.structExpression(schema)).as(Columns.FIELDS),
            FieldsHash.of(schema, "").as(Columns.FIELDS_HASH),
            splitColumn.as(Columns.SPLIT_GROUP));
    if (!splits.groups().isEmpty()) {
      rows = rows.withColumn(Columns.SPLIT_GROUP, hashedGroup(splits.groups()));
    }
    return rows;
  }

  /**
   * Adds {@link #JSON_HASH}: every row's JSON is written to hash it, which costs far more than the
   * typed hash. Needed only to compare with a snapshot written before {@link FieldsHash}.
   */
  public static Dataset<Row> withJsonHash(Dataset<Row> prepared) {
    return prepared.withColumn(JSON_HASH, FieldsHash.jsonHash(fieldsJson(prepared)));
  }

  /**
   * The {@code fields} JSON of prepared rows: the canonical struct written as JSON, or the column
   * itself when it already holds JSON text.
   */
  public static Column fieldsJson(Dataset<Row> rows) {
    boolean struct = rows.schema().apply(Columns.FIELDS).dataType() instanceof StructType;
    return struct
        ? to_json(col(Columns.FIELDS), CanonicalFields.JSON_OPTIONS)
        : col(Columns.FIELDS);
  }

  /** Prepared rows with {@code fields} as JSON text (every row's JSON is written). */
  public static Dataset<Row> withFieldsJson(Dataset<Row> prepared) {
    return prepared.withColumn(Columns.FIELDS, fieldsJson(prepared));
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
