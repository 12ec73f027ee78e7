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
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
 *       Fields are compared by their 64-bit {@code fields_hash} (xxhash64 of the canonical JSON),
 *       so the snapshot's fields never need to be read for the comparison;
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

  /** The whole plan, removed rows' fields included. */
  public static Dataset<Row> plan(Dataset<Row> model, Dataset<Row> previous, String primaryKey) {
    return withRemovedFields(keyPlan(model, previous, primaryKey), previous, Long.MAX_VALUE);
  }

  /**
   * The plan, but with {@code fields} null on removed rows: the join reads only the snapshot's
   * keys, hashes and states, never its fields, so the snapshot's widest column is not shuffled.
   * {@link #withRemovedFields} completes it.
   */
  public static Dataset<Row> keyPlan(Dataset<Row> model, Dataset<Row> previous, String primaryKey) {
    Dataset<Row> keyCounts =
        model
            .groupBy(col(ROW_ID).as("dup_key"))
            .agg(count(lit(1)).as("key_rows"))
            .where("key_rows > 1");
    Dataset<Row> m =
        model
            .where(col(ROW_ID).isNotNull())
            .join(keyCounts, col(ROW_ID).equalTo(col("dup_key")), "left")
            .select(
                col(ROW_ID),
                col(FIELDS),
                col(FIELDS_HASH),
                col(SPLIT_GROUP),
                coalesce(col("key_rows"), lit(1L)).as("key_rows"))
            .as("m");
    Dataset<Row> s =
        previous
            .select(
                col(ROW_ID), col(STATUS), col(FIELDS_HASH), col(SPLIT_GROUP), col(IN_DESTINATION))
            .as("s");
    Dataset<Row> joined = m.join(s, col("m.row_id").equalTo(col("s.row_id")), "full_outer");

    Column hasM = col("m.row_id").isNotNull();
    Column hasS = col("s.row_id").isNotNull();
    Column duplicated = col("m.key_rows").gt(1);
    Column retry = col("s.status").isin(FAILED, ABORTED);
    Column inDestination = coalesce(col("s." + IN_DESTINATION), lit(false));
    Column fieldsDiffer =
        col("m.fields_hash").notEqual(col("s.fields_hash")).or(col("s.fields_hash").isNull());

    Column op =
        when(hasM.and(duplicated), when(hasS, lit(CHANGED)).otherwise(lit(ADDED)))
            .when(hasM.and(not(hasS)), lit(ADDED))
            .when(hasM.and(retry), when(inDestination, lit(CHANGED)).otherwise(lit(ADDED)))
            .when(hasM.and(fieldsDiffer), lit(CHANGED))
            .when(not(hasM).and(inDestination), lit(REMOVED));
    Column rejected =
        when(
            duplicated,
            concat(
                lit("duplicate primary key: "),
                col("m.key_rows").cast("string"),
                lit(" model rows have " + primaryKey + " = '"),
                col("m.row_id"),
                lit("'")));
    Dataset<Row> keyed =
        joined
            .select(
                coalesce(col("m.row_id"), col("s.row_id")).as(ROW_ID),
                op.as(OP_TYPE),
                col("m.fields").as(FIELDS),
                when(hasM, col("m.fields_hash")).otherwise(col("s.fields_hash")).as(FIELDS_HASH),
                when(hasM, col("m.split_group")).otherwise(col("s.split_group")).as(SPLIT_GROUP),
                rejected.as(REJECTED_REASON))
            .where(col(OP_TYPE).isNotNull());
    Dataset<Row> nullKeys =
        model
            .where(col(ROW_ID).isNull())
            .select(
                col(ROW_ID),
                lit(ADDED).as(OP_TYPE),
                col(FIELDS),
                col(FIELDS_HASH),
                col(SPLIT_GROUP),
                lit("null primary key: " + primaryKey + " is null").as(REJECTED_REASON));
    return keyed.unionByName(nullKeys);
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
            .select(io.synclog.plan.Columns.cols(PLAN_COLUMNS));
    return keyPlan.where(not(removed)).unionByName(filled);
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
