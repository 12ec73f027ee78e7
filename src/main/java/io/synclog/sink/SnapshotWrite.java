package io.synclog.sink;

import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.UNCHANGED;
import static io.synclog.status.StatusMerge.DELETE;
import static io.synclog.status.StatusMerge.RESET;
import static io.synclog.status.StatusMerge.SNAPSHOT_CHANGE;
import static io.synclog.status.StatusMerge.UPSERT;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How a run writes its sync's snapshot to Delta: whole, or as its changes.
 *
 * <p>Whole is a {@code replaceWhere} on the sync: every row rewritten. With {@code
 * target.deletion-vectors=true} and deletion vectors on the table, a {@code MERGE} of the run's
 * changes ({@link io.synclog.status.StatusMerge#SNAPSHOT_CHANGE}) writes only the rows that changed
 * and marks their old copies deleted. Delta still reads every file that holds a changed row, so the
 * merge wins only when a run's changes fall in few files; at 1% of rows changed at random every
 * file is touched and the whole write was faster (see the README's Performance section). Because
 * every change sets whole values (a row, the op_type {@code unchanged}, or its absence), applying
 * it again, when an interrupted run is rerun, leaves the snapshot as it was.
 *
 * <p>Each merge leaves a small file and deletion vectors behind; every {@code rewriteRuns} runs of
 * a sync the snapshot is written whole again, which compacts it.
 */
final class SnapshotWrite {
  private SnapshotWrite() {}

  /**
   * Why a snapshot is written whole or by changes, for the job log.
   *
   * @param broadcastChanges whether the MERGE broadcasts the changes, so that the snapshot's
   *     touched files are read once without shuffling their rows
   */
  record Decision(boolean incremental, String reason, boolean broadcastChanges) {
    Decision(boolean incremental, String reason) {
      this(incremental, reason, false);
    }
  }

  /** Up to this many changed rows, the MERGE broadcasts them instead of shuffling the snapshot. */
  static final long BROADCAST_CHANGED_ROWS = 1_000_000;

  /**
   * Above this share of the snapshot's rows changing, writing it whole is cheaper than merging: a
   * merge reads and joins the rows it replaces, then writes them as a whole write would.
   */
  static final double MAX_CHANGED_SHARE = 0.2;

  /** The previous snapshot's size and how many of its rows the run changes, at most. */
  record Sizes(long snapshotRows, long changedRows) {}

  /**
   * @param hasChanges whether the run offered its changes
   * @param deletionVectors whether the table has deletion vectors enabled
   * @param missingColumns change columns the table does not have (the whole write adds them)
   * @param recordedRuns runs of the sync already recorded
   * @param rewriteRuns every how many runs to rewrite whole; 0 never
   * @param sizes the previous snapshot's rows and the rows the run changes (its planned rows plus
   *     the previous run's, which become {@code unchanged}); asked only when no other rule decides,
   *     as it costs a pass over the snapshot
   */
  static Decision decide(
      boolean hasChanges,
      boolean deletionVectors,
      List<String> missingColumns,
      long recordedRuns,
      int rewriteRuns,
      Supplier<Sizes> sizes) {
    if (!hasChanges) {
      return new Decision(false, "no changes offered");
    }
    if (!deletionVectors) {
      return new Decision(false, "the table has no deletion vectors");
    }
    if (!missingColumns.isEmpty()) {
      return new Decision(false, "new columns " + missingColumns);
    }
    if (recordedRuns == 0) {
      return new Decision(false, "the sync's first run");
    }
    if (rewriteRuns > 0 && recordedRuns % rewriteRuns == 0) {
      return new Decision(
          false, "compacting: every " + rewriteRuns + " runs (target.snapshot-rewrite-runs)");
    }
    Sizes size = sizes.get();
    if (size.changedRows() > MAX_CHANGED_SHARE * size.snapshotRows()) {
      return new Decision(
          false,
          "up to "
              + size.changedRows()
              + " of its "
              + size.snapshotRows()
              + " rows change, more than "
              + Math.round(MAX_CHANGED_SHARE * 100)
              + "%");
    }
    return new Decision(
        true,
        "up to " + size.changedRows() + " of its " + size.snapshotRows() + " rows change",
        size.changedRows() <= BROADCAST_CHANGED_ROWS);
  }

  /** Change columns (other than the change itself) that the table lacks. */
  static List<String> missingColumns(StructType changes, StructType table) {
    Set<String> have = java.util.Arrays.stream(table.fieldNames()).collect(Collectors.toSet());
    return java.util.Arrays.stream(changes.fields())
        .map(StructField::name)
        .filter(n -> !n.equals(SNAPSHOT_CHANGE) && !have.contains(n))
        .toList();
  }

  /**
   * The MERGE that applies a sync's changes, read from {@code source}, to the snapshot table. The
   * sync_id literal keeps it inside the sync's partition.
   *
   * @param columns the snapshot columns the changes carry, sync_id included
   * @param broadcast whether to hint Spark to broadcast the changes into the join
   */
  static String merge(
      String snapshot, String source, String syncId, List<String> columns, boolean broadcast) {
    String set =
        columns.stream()
            .filter(c -> !c.equals(SYNC_ID) && !c.equals(ROW_ID))
            .map(c -> "t." + DeltaStatements.quote(c) + " = s." + DeltaStatements.quote(c))
            .collect(Collectors.joining(", "));
    String names = columns.stream().map(DeltaStatements::quote).collect(Collectors.joining(", "));
    String values =
        columns.stream()
            .map(c -> "s." + DeltaStatements.quote(c))
            .collect(Collectors.joining(", "));
    String change = "s." + SNAPSHOT_CHANGE + " = ";
    return "MERGE INTO "
        + snapshot
        + " t USING "
        + (broadcast ? "(SELECT /*+ BROADCAST(c) */ * FROM " + source + " c)" : source)
        + " s ON "
        + Sql.eq("t." + SYNC_ID, syncId)
        + " AND t."
        + ROW_ID
        + " = s."
        + ROW_ID
        + " WHEN MATCHED AND "
        + change
        + Sql.literal(DELETE)
        + " THEN DELETE"
        + " WHEN MATCHED AND "
        + change
        + Sql.literal(RESET)
        + " THEN UPDATE SET t."
        + OP_TYPE
        + " = "
        + Sql.literal(UNCHANGED)
        + " WHEN MATCHED AND "
        + change
        + Sql.literal(UPSERT)
        + " THEN UPDATE SET "
        + set
        + " WHEN NOT MATCHED AND "
        + change
        + Sql.literal(UPSERT)
        + " THEN INSERT ("
        + names
        + ") VALUES ("
        + values
        + ")";
  }
}
