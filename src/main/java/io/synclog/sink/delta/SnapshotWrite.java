package io.synclog.sink.delta;

import static io.synclog.log.SnapshotChange.DELETE;
import static io.synclog.log.SnapshotChange.RESET;
import static io.synclog.log.SnapshotChange.SNAPSHOT_CHANGE;
import static io.synclog.log.SnapshotChange.UPSERT;
import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.UNCHANGED;

import io.synclog.sql.SparkSql;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How a run writes its sync's snapshot to Delta: whole, or as its changes.
 *
 * <p>Whole is a {@code replaceWhere} on the sync: every row rewritten. By changes, only the rows
 * the run changed ({@link io.synclog.log.SnapshotChange#SNAPSHOT_CHANGE}) are written and their old
 * copies marked deleted with deletion vectors: on tables by path by synclog's own commit ({@link
 * io.synclog.sink.delta.log.TransactionLog#commitChanges}), which reads only the {@code row_id}
 * column of the untouched rows; on tables by name by a Delta {@code MERGE}, which reads every file
 * holding a changed row whole. Both set whole values (a row, the op_type {@code unchanged}, or its
 * absence), and both carry the run's transaction id, as the whole write does, so a rerun of a run
 * whose snapshot landed skips it.
 *
 * <p>Writing by changes leaves small files and deletion vectors behind: the snapshot is written
 * whole again, which compacts it, every {@code rewriteRuns} runs, or once the rows marked deleted
 * reach {@link #MAX_DELETED_SHARE} of the live ones.
 */
final class SnapshotWrite {
  private SnapshotWrite() {}

  /** How the snapshot is written. */
  enum Method {
    /** {@code replaceWhere} on the sync. */
    WHOLE,
    /** Delta {@code MERGE} of the changes. */
    MERGE,
    /** synclog's own commit on the table's log. */
    COMMIT
  }

  /**
   * Why a snapshot is written whole or by changes, for the job log.
   *
   * @param broadcastChanges whether the changes are few enough to broadcast into the join that
   *     finds their old copies
   */
  record Decision(Method method, String reason, boolean broadcastChanges) {
    Decision(String wholeBecause) {
      this(Method.WHOLE, wholeBecause, false);
    }

    boolean incremental() {
      return method != Method.WHOLE;
    }
  }

  /** Up to this many changed rows, their keys are broadcast instead of shuffling the snapshot. */
  static final long BROADCAST_CHANGED_ROWS = 2_000_000;

  /**
   * Above this share of the snapshot's rows changing, writing it whole is cheaper: the changes
   * would write most of it anyway, and leave as many rows marked deleted.
   */
  static final double MAX_CHANGED_SHARE = 0.2;

  /** At this share of rows marked deleted (to live rows), the snapshot is compacted. */
  static final double MAX_DELETED_SHARE = 0.3;

  /**
   * The previous snapshot's live rows, how many of them the run changes at most, and how many rows
   * its files hold marked deleted (0 when not known).
   */
  record Sizes(long snapshotRows, long changedRows, long deletedRows) {
    Sizes(long snapshotRows, long changedRows) {
      this(snapshotRows, changedRows, 0);
    }
  }

  /**
   * @param byChanges how this table is written by changes: {@link Method#MERGE} or {@link
   *     Method#COMMIT}
   * @param hasChanges whether the run offered its changes
   * @param unusable why the table cannot be written by changes, if it cannot
   * @param missingColumns change columns the table does not have (the whole write adds them)
   * @param recordedRuns runs of the sync already recorded
   * @param rewriteRuns every how many runs to rewrite whole; 0 never
   * @param sizes asked only when no other rule decides, as it may cost a pass over the snapshot
   */
  static Decision decide(
      Method byChanges,
      boolean hasChanges,
      Optional<String> unusable,
      List<String> missingColumns,
      long recordedRuns,
      int rewriteRuns,
      Supplier<Sizes> sizes) {
    if (!hasChanges) {
      return new Decision("no changes offered");
    }
    if (unusable.isPresent()) {
      return new Decision(unusable.get());
    }
    if (!missingColumns.isEmpty()) {
      return new Decision("new columns " + missingColumns);
    }
    if (recordedRuns == 0) {
      return new Decision("the sync's first run");
    }
    if (rewriteRuns > 0 && recordedRuns % rewriteRuns == 0) {
      return new Decision(
          "compacting: every " + rewriteRuns + " runs (target.snapshot-rewrite-runs)");
    }
    Sizes size = sizes.get();
    String share =
        "up to " + size.changedRows() + " of its " + size.snapshotRows() + " rows change";
    if (size.changedRows() > MAX_CHANGED_SHARE * size.snapshotRows()) {
      return new Decision(share + ", more than " + Math.round(MAX_CHANGED_SHARE * 100) + "%");
    }
    if (size.deletedRows() >= MAX_DELETED_SHARE * size.snapshotRows() && size.deletedRows() > 0) {
      return new Decision(
          "compacting: "
              + size.deletedRows()
              + " rows marked deleted, "
              + Math.round(MAX_DELETED_SHARE * 100)
              + "% or more of its "
              + size.snapshotRows());
    }
    return new Decision(byChanges, share, size.changedRows() <= BROADCAST_CHANGED_ROWS);
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
        + SparkSql.eq("t." + SYNC_ID, syncId)
        + " AND t."
        + ROW_ID
        + " = s."
        + ROW_ID
        + " WHEN MATCHED AND "
        + change
        + SparkSql.literal(DELETE)
        + " THEN DELETE"
        + " WHEN MATCHED AND "
        + change
        + SparkSql.literal(RESET)
        + " THEN UPDATE SET t."
        + OP_TYPE
        + " = "
        + SparkSql.literal(UNCHANGED)
        + " WHEN MATCHED AND "
        + change
        + SparkSql.literal(UPSERT)
        + " THEN UPDATE SET "
        + set
        + " WHEN NOT MATCHED AND "
        + change
        + SparkSql.literal(UPSERT)
        + " THEN INSERT ("
        + names
        + ") VALUES ("
        + values
        + ")";
  }
}
