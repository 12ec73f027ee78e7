package io.synclog.sink.delta.log;

import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.sink.delta.log.Scala.seq;
import static org.apache.spark.sql.functions.expr;

import io.synclog.sql.SparkSql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * Claims a sync in the lock table by path with one Delta transaction, the work a {@code MERGE ...
 * WHEN NOT MATCHED THEN INSERT} does without its machinery: the transaction reads the sync's
 * partition, and writes the lock row only when it is empty. A claim by another run of the sync
 * committed in between makes the commit fail with Delta's concurrent-append conflict, so two runs
 * never both hold a sync; claims of other syncs touch other partitions and do not conflict.
 */
final class PathLockClaim {
  private PathLockClaim() {}

  /**
   * Writes {@code row} (the lock table's columns, in order) unless the sync already holds a lock.
   *
   * @return the claim, or empty when the sync's partition already holds a lock row
   * @throws java.util.ConcurrentModificationException when another claim of the sync landed first
   */
  static Optional<PathLockRelease.Claimed> insertIfAbsent(
      SparkSession spark, String path, String syncId, Row row, StructType schema) {
    OptimisticTransaction txn = DeltaLog.forTable(spark, path).startTransaction();
    String inSync = SparkSql.eq(SYNC_ID, syncId);
    if (!txn.filterFiles(seq(List.of(expr(inSync).expr())), false).isEmpty()) {
      return Optional.empty();
    }
    List<Action> actions =
        new ArrayList<>(
            JavaConverters.seqAsJavaList(
                txn.writeFiles(spark.createDataFrame(List.of(row), schema).coalesce(1))));
    long version =
        txn.commit(
            seq(actions),
            new DeltaOperations.Write(
                SaveMode.Append, Option.empty(), Option.apply(inSync), Option.empty()));
    List<AddFile> added = new ArrayList<>();
    for (Action a : actions) {
      if (a instanceof AddFile add) {
        added.add(add);
      }
    }
    return Optional.of(new PathLockRelease.Claimed(version, added));
  }
}
