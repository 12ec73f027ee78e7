package io.synclog.sink.delta.log;

import static io.synclog.plan.Columns.SYNC_RUN_ID;

import io.synclog.log.SyncRun;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.NoMapping$;
import org.apache.spark.sql.delta.RowTracking;
import org.apache.spark.sql.delta.commands.DeletionVectorUtils$;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/** {@link TransactionLog} on open-source Delta Lake's {@link DeltaLog}. */
final class DeltaTransactionLog implements TransactionLog {
  private final SparkSession spark;

  /** The claims this log made and has not released yet, by lock table and run. */
  private final Map<ClaimKey, PathLockRelease.Claimed> claims = new ConcurrentHashMap<>();

  private record ClaimKey(String locks, SyncRun run) {}

  DeltaTransactionLog(SparkSession spark) {
    this.spark = spark;
  }

  /** From the log itself, whose state the run reads next anyway. */
  @Override
  public long version(String path) {
    return DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty()).version();
  }

  @Override
  public boolean claim(String locks, String syncId, Row row, StructType schema) {
    Optional<PathLockRelease.Claimed> claimed =
        PathLockClaim.insertIfAbsent(spark, locks, syncId, row, schema);
    claimed.ifPresent(
        c ->
            claims.put(
                new ClaimKey(
                    locks, new SyncRun(syncId, row.getString(schema.fieldIndex(SYNC_RUN_ID)))),
                c));
    return claimed.isPresent();
  }

  @Override
  public boolean releaseClaim(String locks, SyncRun run, String predicate) {
    PathLockRelease.Claimed claim = claims.remove(new ClaimKey(locks, run));
    return claim != null && PathLockRelease.removeClaimed(spark, locks, claim, predicate);
  }

  /**
   * Refuses the features whose bookkeeping {@link SnapshotChangesCommit} does not do: the change
   * data feed, row tracking and column mapping.
   */
  @Override
  public Optional<String> unusableForChanges(String snapshot) {
    var latest = DeltaLog.forTable(spark, snapshot).update(false, Option.empty(), Option.empty());
    var metadata = latest.metadata();
    var protocol = latest.protocol();
    if (!DeletionVectorUtils$.MODULE$.deletionVectorsWritable(protocol, metadata)) {
      return Optional.of("the table has no deletion vectors (delta.enableDeletionVectors)");
    }
    if ("true".equalsIgnoreCase(property(metadata.configuration(), "delta.enableChangeDataFeed"))) {
      return Optional.of("the table has the change data feed on");
    }
    if (RowTracking.isSupported(protocol)) {
      return Optional.of("the table supports row tracking");
    }
    if (metadata.columnMappingMode() != NoMapping$.MODULE$) {
      return Optional.of("the table uses column mapping");
    }
    return Optional.empty();
  }

  private static String property(scala.collection.immutable.Map<String, String> conf, String key) {
    Option<String> v = conf.get(key);
    return v.isDefined() ? v.get() : null;
  }

  @Override
  public Stats stats(String path, String syncId) {
    return SnapshotChangesCommit.stats(spark, path, syncId);
  }

  @Override
  public Optional<CommitResult> commitChanges(
      String snapshot, String syncId, String appId, Dataset<Row> changes, boolean smallChanges) {
    return SnapshotChangesCommit.apply(spark, snapshot, syncId, appId, changes, smallChanges);
  }
}
