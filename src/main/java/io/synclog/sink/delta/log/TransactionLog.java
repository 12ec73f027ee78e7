package io.synclog.sink.delta.log;

import io.synclog.log.SyncRun;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The transaction log of a Delta table by path, used directly where plain SQL would do more work or
 * offer no way to do it: the lock claim as one transaction, and the snapshot written by its changes
 * with deletion vectors. These go through Delta Lake's internal API ({@code
 * org.apache.spark.sql.delta}), which changes between Delta versions without notice; this package
 * is the only user of it, so a Delta upgrade touches this package alone.
 *
 * <p>A runtime with its own Delta (Databricks) has no such classes: {@link #open} is then empty,
 * and the sink speaks SQL to every table.
 */
public interface TransactionLog {
  /**
   * Spark conf for tests, not a user setting: above this size of reset candidates (128 MB unless
   * set), {@link #commitChanges} scans them in parallel rather than in the task that appends.
   */
  String PARALLEL_RESET_SCAN_BYTES = "spark.synclog.internal.parallelResetScanBytes";

  /** The log of this Spark's open-source Delta Lake, or empty when the runtime has none. */
  static Optional<TransactionLog> open(SparkSession spark) {
    return available() ? Optional.of(new DeltaTransactionLog(spark)) : Optional.empty();
  }

  /** Checked by class name, so that this interface loads on a runtime without the classes. */
  private static boolean available() {
    try {
      Class.forName(
          "org.apache.spark.sql.delta.DeltaLog", false, TransactionLog.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The table's latest version. */
  long version(String path);

  /**
   * Writes a sync's lock row, the lock table's columns in order, unless the sync already holds a
   * lock: one transaction that reads the sync's partition and writes only when it is empty.
   *
   * @return false when the sync's partition already holds a lock row
   * @throws java.util.ConcurrentModificationException when another claim of the sync landed first
   */
  boolean claim(String locks, String syncId, Row row, StructType schema);

  /**
   * Releases a lock that {@link #claim} of this log wrote, by removing the file the claim added, in
   * one commit that reads none of the table's state.
   *
   * @param predicate the release's predicate on the lock table, for its history
   * @return false when this log did not claim the run's lock, or a commit since the claim rewrote
   *     or removed its row: the caller then deletes the row by predicate
   * @throws java.util.ConcurrentModificationException when a concurrent commit removed it first
   */
  boolean releaseClaim(String locks, SyncRun run, String predicate);

  /**
   * Why the snapshot table cannot take {@link #commitChanges}, or empty when it can: it must have
   * deletion vectors, and none of the features whose bookkeeping that commit does not do.
   */
  Optional<String> unusableForChanges(String snapshot);

  /** The sync's rows in the table, from the file statistics of its latest version. */
  Stats stats(String path, String syncId);

  /**
   * Applies a run's snapshot changes in one commit with deletion vectors, unless a commit with the
   * run's transaction id already landed.
   *
   * @param appId the run's transaction id, which the commit carries
   * @param changes the run's snapshot changes, shaped like the table plus {@code snapshot_change};
   *     persisted by the caller, as they are read more than once
   * @param smallChanges whether the changes' keys are few enough to broadcast
   * @return the commit, or empty when the run's commit was already there
   */
  Optional<CommitResult> commitChanges(
      String snapshot, String syncId, String appId, Dataset<Row> changes, boolean smallChanges);

  /** The sync's rows in a table, from the file statistics in the Delta log. */
  record Stats(long liveRows, long deletedRows, int files) {}

  /** What a commit of changes did, for the job log. */
  record CommitResult(long version, long deletedRows, long appendedRows, int touchedFiles) {}
}
