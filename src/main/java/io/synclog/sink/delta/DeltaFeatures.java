package io.synclog.sink.delta;

import static io.synclog.plan.Columns.RUN_DATE;
import static io.synclog.plan.Columns.SYNC_ID;

import io.synclog.log.LogTables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How new Delta tables are laid out: partitions or liquid clustering, and the change data feed and
 * deletion vectors on the snapshot ({@code target.liquid-clustering}, {@code
 * target.change-data-feed}, {@code target.deletion-vectors}). Existing tables are never altered.
 * The lock and plan tables stay partitioned by sync in every case: open-source Delta detects write
 * conflicts per partition, and one sync's claim must not conflict with another's.
 *
 * @param liquidClustering cluster the three tables instead of partitioning them
 * @param changeDataFeed create the snapshot with {@code delta.enableChangeDataFeed}
 * @param deletionVectors create the snapshot with {@code delta.enableDeletionVectors}, so that a
 *     run rewrites only the snapshot rows it changed (see {@link SnapshotWrite})
 */
record DeltaFeatures(boolean liquidClustering, boolean changeDataFeed, boolean deletionVectors) {
  public static final DeltaFeatures NONE = new DeltaFeatures(false, false, false);

  /** Table property that enables deletion vectors. */
  public static final String DELETION_VECTORS = "delta.enableDeletionVectors";

  public DeltaFeatures(boolean liquidClustering, boolean changeDataFeed) {
    this(liquidClustering, changeDataFeed, false);
  }

  /**
   * How long the changelog remembers which runs it took an idempotent append from. Only a run
   * resumed within this time relies on it; later ones replace their rows by predicate.
   */
  public static final String TXN_RETENTION = "interval 30 days";

  /** Partition or clustering columns of a table, and which of the two they are. */
  public record Layout(List<String> columns, boolean clustered) {
    public static final Layout NONE = new Layout(List.of(), false);
  }

  public Layout layout(String logical) {
    return switch (logical) {
      case "changelog" ->
          liquidClustering ? new Layout(List.of(RUN_DATE, SYNC_ID), true) : partitioned(RUN_DATE);
      case "snapshot" ->
          liquidClustering ? new Layout(List.of(SYNC_ID), true) : partitioned(SYNC_ID);
      case "runs" -> liquidClustering ? new Layout(List.of(SYNC_ID), true) : Layout.NONE;
      case LogTables.PLANS, DeltaLocks.TABLE -> partitioned(SYNC_ID);
      default -> throw new IllegalArgumentException("No Delta table '" + logical + "'");
    };
  }

  private static Layout partitioned(String column) {
    return new Layout(List.of(column), false);
  }

  /** Table properties a new table gets. */
  public Map<String, String> properties(String logical) {
    Map<String, String> props = new LinkedHashMap<>();
    if (logical.equals("changelog") || logical.equals("snapshot")) {
      props.put("delta.setTransactionRetentionDuration", TXN_RETENTION);
    }
    if (logical.equals("snapshot") && changeDataFeed) {
      props.put("delta.enableChangeDataFeed", "true");
    }
    if (logical.equals("snapshot") && deletionVectors) {
      props.put(DELETION_VECTORS, "true");
    }
    return props;
  }
}
