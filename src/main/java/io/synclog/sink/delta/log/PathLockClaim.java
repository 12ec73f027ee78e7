package io.synclog.sink.delta.log;

import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.sink.delta.log.Scala.seq;
import static org.apache.spark.sql.functions.expr;

import io.synclog.sql.SparkSql;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.Action;
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
   * @return false when the sync's partition already holds a lock row
   * @throws java.util.ConcurrentModificationException when another claim of the sync landed first
   */
  static boolean insertIfAbsent(
      SparkSession spark, String path, String syncId, Row row, StructType schema) {
    OptimisticTransaction txn = DeltaLog.forTable(spark, path).startTransaction();
    String inSync = SparkSql.eq(SYNC_ID, syncId);
    if (!txn.filterFiles(seq(List.of(expr(inSync).expr())), false).isEmpty()) {
      return false;
    }
    List<Action> actions =
        new ArrayList<>(
            JavaConverters.seqAsJavaList(
                txn.writeFiles(spark.createDataFrame(List.of(row), schema).coalesce(1))));
    txn.commit(
        seq(actions),
        new DeltaOperations.Write(
            SaveMode.Append, Option.empty(), Option.apply(inSync), Option.empty()));
    return true;
  }
}
