package io.synclog.status;

import static io.synclog.log.SnapshotChange.DELETE;
import static io.synclog.log.SnapshotChange.RESET;
import static io.synclog.log.SnapshotChange.SNAPSHOT_CHANGE;
import static io.synclog.log.SnapshotChange.UPSERT;
import static io.synclog.plan.Columns.ABORTED;
import static io.synclog.plan.Columns.ADDED;
import static io.synclog.plan.Columns.CHANGED;
import static io.synclog.plan.Columns.FAILED;
import static io.synclog.plan.Columns.FAILED_REASON;
import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.FIELDS_HASH;
import static io.synclog.plan.Columns.IN_DESTINATION;
import static io.synclog.plan.Columns.LAST_SYNC_RUN_ID;
import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.REJECTED_REASON;
import static io.synclog.plan.Columns.REMOVED;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.STATUS;
import static io.synclog.plan.Columns.SUCCEEDED;
import static io.synclog.plan.Columns.UNCHANGED;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Joins the engine's statuses into the plan and derives the run's changelog rows and the sync's
 * next snapshot. Pure ({@code Dataset -> Dataset}, no I/O).
 *
 * <ul>
 *   <li>A planned row gets its reported status; with none reported it is {@code aborted}.
 *   <li>A row synclog rejected (null or duplicated key) is {@code failed} with the reason.
 *   <li>Snapshot: planned rows with their new status, except successful removals, which leave it;
 *       unplanned rows carried over as {@code unchanged} with their last status; rows whose key was
 *       duplicated this run kept exactly as they were; rows that left the model before the
 *       destination ever received them dropped.
 * </ul>
 */
public final class StatusMerge {
  private StatusMerge() {}

  /**
   * The run's changelog rows (no sync or run columns yet), the sync's next snapshot, and the same
   * snapshot as changes to the previous one (see {@link SnapshotChange}).
   */
  public record Merged(
      Dataset<Row> changelog, Dataset<Row> snapshot, Dataset<Row> snapshotChanges) {}

  /** Changelog column (internal, not written): whether synclog itself rejected the row. */
  public static final String REJECTED = "rejected";

  public static final String[] CHANGELOG_COLUMNS = {
    OP_TYPE, ROW_ID, STATUS, FAILED_REASON, FIELDS, FIELDS_HASH, SPLIT_GROUP
  };

  public static final String[] SNAPSHOT_COLUMNS = {
    OP_TYPE,
    ROW_ID,
    STATUS,
    FAILED_REASON,
    FIELDS,
    FIELDS_HASH,
    SPLIT_GROUP,
    IN_DESTINATION,
    LAST_SYNC_RUN_ID
  };

  public static Merged merge(
      Dataset<Row> plan, Dataset<Row> statuses, Dataset<Row> previous, String runId) {
    return merge(plan, statuses, previous, runId, Long.MAX_VALUE, null);
  }

  /** Up to this many planned rows, their keys are broadcast to carry the rest of the snapshot. */
  public static final long BROADCAST_PLAN_ROWS = 1_000_000;

  /**
   * @param plannedRows how many rows the plan holds, when known: with at most {@link
   *     #BROADCAST_PLAN_ROWS}, carrying unchanged rows over reads the snapshot without shuffling it
   * @param unplanned the previous snapshot's rows the plan does not hold whose snapshot row still
   *     changes, as {@code row_id, op_type, in_destination} ({@link
   *     io.synclog.plan.Planner#unplanned}), when the diff found them; null to find them in {@code
   *     previous}
   */
  public static Merged merge(
      Dataset<Row> plan,
      Dataset<Row> statuses,
      Dataset<Row> previous,
      String runId,
      long plannedRows,
      Dataset<Row> unplanned) {
    Dataset<Row> resolved = resolve(statuses).as("e");
    Dataset<Row> p = plan.as("p");
    Column rejected = col("p." + REJECTED_REASON).isNotNull();
    Column status = when(rejected, lit(FAILED)).otherwise(coalesce(col("e.status"), lit(ABORTED)));
    Column reason =
        when(rejected, col("p." + REJECTED_REASON))
            .when(col("e.status").equalTo(FAILED), col("e.failed_reason"));
    Dataset<Row> changelog =
        p.join(resolved, col("p.row_id").equalTo(col("e.row_id")).and(not(rejected)), "left")
            .select(
                col("p." + OP_TYPE).as(OP_TYPE),
                col("p." + ROW_ID).as(ROW_ID),
                status.as(STATUS),
                reason.as(FAILED_REASON),
                col("p." + FIELDS).as(FIELDS),
                col("p." + FIELDS_HASH).as(FIELDS_HASH),
                col("p." + SPLIT_GROUP).as(SPLIT_GROUP),
                rejected.as(REJECTED));
    Next next =
        new Next(changelog, plan, previous, unplanned, runId, plannedRows <= BROADCAST_PLAN_ROWS);
    return new Merged(changelog, next.snapshot(), next.changes());
  }

  /**
   * One status per row: the worst reported (failed, then aborted, then succeeded). A value that is
   * not a known status becomes failed, with a reason naming it, so it is never dropped.
   */
  static Dataset<Row> resolve(Dataset<Row> statuses) {
    Column normalised = StatusCheck.normalisedStatus();
    Column known = normalised.isin(SUCCEEDED, FAILED, ABORTED);
    Column effective = when(known, normalised).otherwise(lit(FAILED));
    Column reason =
        when(
                known.isNull().or(not(known)),
                concat(
                    lit("unknown status '"),
                    coalesce(col(STATUS), lit("null")),
                    lit("' reported by the sync engine")))
            .otherwise(col(FAILED_REASON));
    Column rank =
        when(effective.equalTo(FAILED), 3).when(effective.equalTo(ABORTED), 2).otherwise(1);
    return statuses
        .select(
            col(ROW_ID),
            struct(rank.as("rank"), effective.as("status"), reason.as("reason")).as("s"))
        .groupBy(ROW_ID)
        .agg(max(col("s")).as("s"))
        .select(col(ROW_ID), col("s.status").as(STATUS), col("s.reason").as(FAILED_REASON));
  }

  /** The next snapshot, whole and as changes, sharing the plan's key sets. */
  private static final class Next {
    private final Dataset<Row> changelog;
    private final Dataset<Row> previous;
    private final Dataset<Row> knownUnplanned;
    private final String runId;
    private final Dataset<Row> planKeys;
    private final Dataset<Row> rejectedKeys;

    Next(
        Dataset<Row> changelog,
        Dataset<Row> plan,
        Dataset<Row> previous,
        Dataset<Row> unplanned,
        String runId,
        boolean smallPlan) {
      this.changelog = changelog;
      this.previous = previous;
      this.knownUnplanned = unplanned;
      this.runId = runId;
      Dataset<Row> keys =
          plan.where(col(ROW_ID).isNotNull()).select(col(ROW_ID).as("plan_key")).distinct();
      Dataset<Row> rejected =
          plan.where(col(ROW_ID).isNotNull().and(col(REJECTED_REASON).isNotNull()))
              .select(col(ROW_ID).as("rejected_key"))
              .distinct();
      this.planKeys = smallPlan ? broadcast(keys) : keys;
      this.rejectedKeys = smallPlan ? broadcast(rejected) : rejected;
    }

    /** Changelog rows that are not rejected, with the snapshot's new in_destination. */
    private Dataset<Row> plannedRows() {
      Column succeeded = col(STATUS).equalTo(SUCCEEDED);
      Column inDestination =
          when(col(OP_TYPE).equalTo(ADDED), succeeded)
              .when(col(OP_TYPE).isin(CHANGED, REMOVED), lit(true));
      return changelog
          .where(col(ROW_ID).isNotNull())
          .join(rejectedKeys, col(ROW_ID).equalTo(col("rejected_key")), "left_anti")
          .withColumn(IN_DESTINATION, inDestination)
          .withColumn(LAST_SYNC_RUN_ID, lit(runId));
    }

    /** A successful removal leaves the snapshot. */
    private static Column leaves() {
      return col(OP_TYPE).equalTo(REMOVED).and(col(STATUS).equalTo(SUCCEEDED));
    }

    /** Previous rows the run did not plan. */
    private Dataset<Row> unplanned(Dataset<Row> rows) {
      return rows.join(planKeys, col(ROW_ID).equalTo(col("plan_key")), "left_anti");
    }

    Dataset<Row> snapshot() {
      Dataset<Row> carried =
          unplanned(previous)
              .where(coalesce(col(IN_DESTINATION), lit(false)))
              .withColumn(OP_TYPE, lit(UNCHANGED))
              .select(io.synclog.plan.Columns.cols(SNAPSHOT_COLUMNS));
      Dataset<Row> held =
          previous
              .join(rejectedKeys, col(ROW_ID).equalTo(col("rejected_key")), "left_semi")
              .select(io.synclog.plan.Columns.cols(SNAPSHOT_COLUMNS));
      Dataset<Row> planned =
          plannedRows().where(not(leaves())).select(io.synclog.plan.Columns.cols(SNAPSHOT_COLUMNS));
      return planned.unionByName(carried).unionByName(held);
    }

    /**
     * The snapshot as changes to the previous one: planned rows are upserted (or deleted when their
     * removal succeeded); unplanned rows the destination never received are deleted; other
     * unplanned rows not already {@code unchanged} are reset. Rows held for a rejected key, and
     * unplanned rows already {@code unchanged}, are not touched. Only the previous snapshot's
     * row_id, op_type and in_destination are read.
     */
    Dataset<Row> changes() {
      Dataset<Row> planned =
          plannedRows()
              .withColumn(SNAPSHOT_CHANGE, when(leaves(), lit(DELETE)).otherwise(lit(UPSERT)))
              .select(changeColumns());
      Column inDestination = coalesce(col(IN_DESTINATION), lit(false));
      Dataset<Row> unplanned =
          (knownUnplanned != null
                  ? knownUnplanned
                  : unplanned(previous.select(ROW_ID, OP_TYPE, IN_DESTINATION)))
              .where(
                  not(inDestination).or(not(coalesce(col(OP_TYPE).equalTo(UNCHANGED), lit(false)))))
              .select(
                  col(ROW_ID),
                  when(inDestination, lit(RESET)).otherwise(lit(DELETE)).as(SNAPSHOT_CHANGE));
      return planned.unionByName(unplanned, true);
    }

    private static Column[] changeColumns() {
      Column[] cols = new Column[SNAPSHOT_COLUMNS.length + 1];
      for (int i = 0; i < SNAPSHOT_COLUMNS.length; i++) {
        cols[i] = col(SNAPSHOT_COLUMNS[i]);
      }
      cols[SNAPSHOT_COLUMNS.length] = col(SNAPSHOT_CHANGE);
      return cols;
    }
  }
}
