package io.synclog.sink.delta;

import io.synclog.config.ConfigKeys;
import io.synclog.config.TargetKeys;

/**
 * A Delta target's settings, parsed once from the {@code target.*} keys.
 *
 * @param byName tables by catalog name ({@code target.kind=databricks}), else by path
 * @param location the folder of the tables by path ({@code target.location})
 * @param catalog the catalog of the tables by name ({@code target.catalog}), or null
 * @param schema the schema of the tables ({@code target.schema})
 * @param liquidClustering whether new tables are clustered ({@code target.liquid-clustering})
 * @param changeDataFeed whether new tables keep a change data feed ({@code
 *     target.change-data-feed})
 * @param deletionVectors {@code auto}, {@code true} or {@code false} ({@code
 *     target.deletion-vectors})
 * @param snapshotRewriteRuns every how many runs a snapshot written by its changes is rewritten
 *     whole; 0: never ({@code target.snapshot-rewrite-runs})
 */
public record DeltaSettings(
    boolean byName,
    String location,
    String catalog,
    String schema,
    boolean liquidClustering,
    boolean changeDataFeed,
    String deletionVectors,
    int snapshotRewriteRuns) {

  /** The settings of {@code target.kind=delta} or {@code databricks}; the keys are validated. */
  public static DeltaSettings from(TargetKeys keys) {
    return new DeltaSettings(
        "databricks".equals(keys.get(ConfigKeys.TARGET_KIND)),
        keys.get(ConfigKeys.TARGET_LOCATION),
        keys.get(ConfigKeys.TARGET_CATALOG),
        keys.schema(),
        "true".equals(keys.get(ConfigKeys.TARGET_LIQUID_CLUSTERING)),
        "true".equals(keys.get(ConfigKeys.TARGET_CHANGE_DATA_FEED)),
        keys.get(ConfigKeys.TARGET_DELETION_VECTORS),
        Integer.parseInt(keys.get(ConfigKeys.TARGET_SNAPSHOT_REWRITE_RUNS)));
  }

  /**
   * The features new tables get. Deletion vectors are on by default ({@code auto}) for tables by
   * path on open-source Delta Lake, where the snapshot is written by synclog's own commit.
   *
   * @param transactionLog whether Delta's transaction log can be used directly
   */
  DeltaFeatures features(boolean transactionLog) {
    return new DeltaFeatures(
        liquidClustering,
        changeDataFeed,
        "true".equals(deletionVectors)
            || ("auto".equals(deletionVectors) && !byName && transactionLog));
  }
}
