package io.synclog.plan;

import static io.synclog.plan.Columns.ABORTED;
import static io.synclog.plan.Columns.ADDED;
import static io.synclog.plan.Columns.CHANGED;
import static io.synclog.plan.Columns.FAILED;
import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.FIELDS_HASH;
import static io.synclog.plan.Columns.IN_DESTINATION;
import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.REJECTED_REASON;
import static io.synclog.plan.Columns.REMOVED;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.STATUS;
import static io.synclog.plan.Columns.UNCHANGED;
import static io.synclog.plan.Columns.cols;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The diff: from the model rows of this run and the sync's previous snapshot, the operations to
 * send. Pure ({@code Dataset -> Dataset}, no I/O).
 *
 * <p>For each row_id, with m the model row and s the snapshot row:
 *
 * <ul>
 *   <li>the key is null or shared by several model rows: every such model row is rejected (planned
 *       as {@code added}, or {@code changed} when s exists, with a rejected reason), and s is held
 *       unchanged by the status merge;
 *   <li>m and no s: {@code added};
 *   <li>m and s, s's last status failed or aborted: planned again, as {@code added} if the
 *       destination never received the row, else {@code changed};
 *   <li>m and s, fields differ: {@code changed}; fields equal: {@code unchanged} (not planned).
 *       Fields are compared by their 64-bit {@code fields_hash} ({@link FieldsHash}), so neither
 *       the snapshot's fields nor the model rows' JSON are needed for the comparison;
 *   <li>s and no m: {@code removed} if the destination holds the row; otherwise (an add that never
 *       succeeded) the row is simply gone and nothing is planned.
 * </ul>
 */
public final class Planner {
  private Planner() {}

  /** The plan's columns, in order. */
  public static final String[] PLAN_COLUMNS = {
    ROW_ID, OP_TYPE, FIELDS, FIELDS_HASH, SPLIT_GROUP, REJECTED_REASON
  };

  /** The whole plan, planned rows' and removed rows' fields included. */
  public static Dataset<Row> plan(Dataset<Row> model, Dataset<Row> previous, String primaryKey) {
    Dataset<Row> keyPlan = planned(keyPlan(model, previous, primaryKey));
    return withRemovedFields(withFields(keyPlan, model, Long.MAX_VALUE), previous, Long.MAX_VALUE);
  }

  /** Key plan column (internal): how many model rows share the row's key. */
  public static final String KEY_ROWS = "key_rows";

  /** Key plan columns (internal): the snapshot row's op_type and in_destination. */
  public static final String PREVIOUS_OP_TYPE = "previous_op_type";

  public static final String PREVIOUS_IN_DESTINATION = "previous_in_destination";

  /** The key plan's planned rows ({@link #keyPlan} also holds unplanned snapshot changes). */
  public static Dataset<Row> planned(Dataset<Row> keyPlan) {
    return keyPlan.where(col(OP_TYPE).isNotNull()).drop(PREVIOUS_OP_TYPE, PREVIOUS_IN_DESTINATION);
  }

  /**
   * The snapshot rows the run does not plan but whose snapshot row changes: those the previous run
   * planned (they become unchanged) and those the destination never received (they leave). Shaped
   * as the snapshot's {@code row_id, op_type, in_destination}, for the status merge.
   */
  public static Dataset<Row> unplanned(Dataset<Row> keyPlan) {
    return keyPlan
        .where(col(OP_TYPE).isNull())
        .select(
            col(ROW_ID),
            col(PREVIOUS_OP_TYPE).as(OP_TYPE),
            col(PREVIOUS_IN_DESTINATION).as(IN_DESTINATION));
  }

  /**
   * The plan's keys: a row per planned key (a row per model row for a duplicated or null key), with
   * its op_type, rejected reason and {@link #KEY_ROWS}, without fields; and, with a null op_type, a
   * row per unplanned snapshot row that still changes ({@link #unplanned}), so the status merge
   * need not read the snapshot again for them. {@link #planned} keeps the first kind. Only keys,
   * hashes and states travel through the join: neither the model rows' fields nor the snapshot's
   * are read. Duplicated keys are counted by a window over the model's keys, which shares the
   * join's shuffle and sort. {@link #withFields} and {@link #withRemovedFields} complete it.
   *
   * @param model prepared rows ({@link ModelRows#prepare}); with a {@link ModelRows#JSON_HASH}
   *     column, a snapshot row whose hash matches either hash is unchanged
   */
  public static Dataset<Row> keyPlan(Dataset<Row> model, Dataset<Row> previous, String primaryKey) {
    boolean jsonHashes = List.of(model.columns()).contains(ModelRows.JSON_HASH);
    Dataset<Row> m =
        model
            .select(
                col(ROW_ID),
                col(FIELDS_HASH),
                jsonHashes
                    ? col(ModelRows.JSON_HASH)
                    : lit(null).cast("long").as(ModelRows.JSON_HASH),
                count(lit(1)).over(Window.partitionBy(col(ROW_ID))).as(KEY_ROWS))
            .as("m");
    Dataset<Row> s =
        previous
            .select(
                col(ROW_ID),
                col(OP_TYPE),
                col(STATUS),
                col(FIELDS_HASH),
                col(SPLIT_GROUP),
                col(IN_DESTINATION))
            .as("s");
    Dataset<Row> joined = m.join(s, col("m.row_id").equalTo(col("s.row_id")), "full_outer");

    Column hasM = col("m." + KEY_ROWS).isNotNull();
    Column hasS = col("s.row_id").isNotNull();
    Column nullKey = hasM.and(col("m.row_id").isNull());
    Column duplicated = col("m." + KEY_ROWS).gt(1);
    Column retry = col("s.status").isin(FAILED, ABORTED);
    Column inDestination = coalesce(col("s." + IN_DESTINATION), lit(false));
    Column stored = col("s.fields_hash");
    Column fieldsDiffer =
        stored
            .isNull()
            .or(
                col("m.fields_hash")
                    .notEqual(stored)
                    .and(coalesce(col("m." + ModelRows.JSON_HASH).notEqual(stored), lit(true))));

    Column op =
        when(hasM.and(duplicated), when(hasS, lit(CHANGED)).otherwise(lit(ADDED)))
            .when(hasM.and(not(hasS)), lit(ADDED))
            .when(hasM.and(retry), when(inDestination, lit(CHANGED)).otherwise(lit(ADDED)))
            .when(hasM.and(fieldsDiffer), lit(CHANGED))
            .when(not(hasM).and(inDestination), lit(REMOVED));
    Column rejected =
        when(nullKey, lit("null primary key: " + primaryKey + " is null"))
            .when(
                duplicated,
                concat(
                    lit("duplicate primary key: "),
                    col("m." + KEY_ROWS).cast("string"),
                    lit(" model rows have " + primaryKey + " = '"),
                    col("m.row_id"),
                    lit("'")));
    return joined
        .select(
            coalesce(col("m.row_id"), col("s.row_id")).as(ROW_ID),
            op.as(OP_TYPE),
            lit(null).cast("string").as(FIELDS),
            when(hasM, col("m.fields_hash")).otherwise(stored).as(FIELDS_HASH),
            when(hasM, lit(null).cast("string")).otherwise(col("s.split_group")).as(SPLIT_GROUP),
            rejected.as(REJECTED_REASON),
            coalesce(col("m." + KEY_ROWS), lit(1L)).as(KEY_ROWS),
            col("s." + OP_TYPE).as(PREVIOUS_OP_TYPE),
            col("s." + IN_DESTINATION).as(PREVIOUS_IN_DESTINATION))
        .where(
            col(OP_TYPE)
                .isNotNull()
                .or(
                    col(PREVIOUS_OP_TYPE)
                        .isNotNull()
                        .and(
                            not(coalesce(col(PREVIOUS_IN_DESTINATION), lit(false)))
                                .or(col(PREVIOUS_OP_TYPE).notEqual(UNCHANGED)))));
  }

  /** Up to this many planned keys, the model rows' fields are fetched by broadcasting the keys. */
  public static final long BROADCAST_PLANNED_ROWS = 2_000_000;

  /**
   * Completes a {@link #keyPlan}'s added and changed keys with their model rows: each model row of
   * a planned key (several for a duplicated key, every one for null keys) with its fields as JSON,
   * hash and split group. The JSON is written for these rows only. Removed rows pass unchanged.
   *
   * @param plannedKeys how many added and changed keys the key plan holds, when known (else
   *     Long.MAX_VALUE): up to {@link #BROADCAST_PLANNED_ROWS} they are broadcast, so the model is
   *     read once more without being shuffled
   */
  public static Dataset<Row> withFields(
      Dataset<Row> keyPlan, Dataset<Row> model, long plannedKeys) {
    Column removed = col(OP_TYPE).equalTo(REMOVED);
    Dataset<Row> planned = keyPlan.where(not(removed));
    // A duplicated or null key joined once per model row: one key row is enough to fetch them all.
    Column shared = col(KEY_ROWS).gt(1).or(col(ROW_ID).isNull());
    Dataset<Row> keys =
        planned
            .where(not(shared))
            .unionByName(planned.where(shared).dropDuplicates(ROW_ID))
            .select(
                col(ROW_ID).as("plan_key"),
                col(OP_TYPE).as("plan_op"),
                col(REJECTED_REASON).as("plan_reason"));
    if (plannedKeys <= BROADCAST_PLANNED_ROWS) {
      keys = broadcast(keys);
    }
    Dataset<Row> rows = model.join(keys, col(ROW_ID).eqNullSafe(col("plan_key")));
    Dataset<Row> fetched =
        rows.select(
            col(ROW_ID),
            col("plan_op").as(OP_TYPE),
            ModelRows.fieldsJson(model).as(FIELDS),
            col(FIELDS_HASH),
            col(SPLIT_GROUP),
            col("plan_reason").as(REJECTED_REASON));
    return fetched.unionByName(keyPlan.where(removed).select(cols(PLAN_COLUMNS)));
  }

  /** Up to this many removed rows, their fields are fetched by broadcasting their keys. */
  public static final long BROADCAST_REMOVED_ROWS = 1_000_000;

  /**
   * Completes a {@link #keyPlan}: removed rows get the fields the snapshot last held. Only the
   * snapshot's key and fields columns are read; when at most {@link #BROADCAST_REMOVED_ROWS} rows
   * were removed, their keys are broadcast so the snapshot is not shuffled at all.
   *
   * @param removedRows how many removed rows the plan holds, when known (else Long.MAX_VALUE)
   */
  public static Dataset<Row> withRemovedFields(
      Dataset<Row> keyPlan, Dataset<Row> previous, long removedRows) {
    Column removed = col(OP_TYPE).equalTo(REMOVED);
    Dataset<Row> gone = keyPlan.where(removed).drop(FIELDS);
    if (removedRows <= BROADCAST_REMOVED_ROWS) {
      gone = broadcast(gone);
    }
    Dataset<Row> filled =
        previous
            .select(col(ROW_ID).as("removed_key"), col(FIELDS))
            .join(gone, col("removed_key").equalTo(col(ROW_ID)))
            .select(cols(PLAN_COLUMNS));
    return keyPlan.where(not(removed)).select(cols(PLAN_COLUMNS)).unionByName(filled);
  }

  /** The rows to send to the destination: the plan minus rows synclog rejected. */
  public static Dataset<Row> sendable(Dataset<Row> plan) {
    return plan.where(col(REJECTED_REASON).isNull());
  }

  /** Snapshot columns the planner reads. */
  public static final String[] SNAPSHOT_INPUT_COLUMNS = {
    ROW_ID, OP_TYPE, STATUS, FIELDS, FIELDS_HASH, SPLIT_GROUP, IN_DESTINATION
  };
}
