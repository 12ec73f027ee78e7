package io.synclog.sink.delta.log;

import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/** {@link TransactionLog} on open-source Delta Lake's {@link DeltaLog}. */
final class DeltaTransactionLog implements TransactionLog {
  private final SparkSession spark;

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
    return PathLockClaim.insertIfAbsent(spark, locks, syncId, row, schema);
  }

  @Override
  public Optional<String> unusableForChanges(String snapshot) {
    return SnapshotChangesCommit.usable(spark, snapshot);
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
