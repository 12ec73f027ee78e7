package io.synclog.sink.delta.log;

import static io.synclog.sink.delta.log.Scala.seq;
import static org.apache.spark.sql.functions.expr;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.RemoveFile;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.collection.JavaConverters;

/**
 * Releases a lock that {@link PathLockClaim} wrote, by removing the file its claim added: one
 * commit that needs none of the table's state, where a {@code DELETE} would rebuild the table's
 * file list and scan it. It holds only while that file is the lock row: when any commit since the
 * claim removed it (the lock marked planned, a compaction, an unlock), the release is left to the
 * {@code DELETE}. A commit that removes it while this one is being made wins, and this one fails
 * with Delta's conflict, as a {@code DELETE} would.
 */
final class PathLockRelease {
  /** A claim this log made: the version it committed and the file it added. */
  record Claimed(long version, List<AddFile> files) {}

  private PathLockRelease() {}

  /**
   * Removes the claim's files when no commit since the claim removed them.
   *
   * @param predicate the release's predicate, for the table's history
   * @return false when a later commit removed a claimed file, or the commits since the claim can no
   *     longer be read: the caller deletes the row by predicate
   * @throws java.util.ConcurrentModificationException when a concurrent commit removed them first
   */
  static boolean removeClaimed(SparkSession spark, String path, Claimed claim, String predicate) {
    if (claim.files().isEmpty()) {
      return false;
    }
    DeltaLog log = DeltaLog.forTable(spark, path);
    OptimisticTransaction txn = log.startTransaction();
    Set<String> ours = new HashSet<>();
    claim.files().forEach(f -> ours.add(f.path()));
    try {
      Iterator<Tuple2<Object, scala.collection.Seq<Action>>> since =
          log.getChanges(claim.version() + 1, true);
      while (since.hasNext()) {
        for (Action a : JavaConverters.seqAsJavaList(since.next()._2())) {
          if (a instanceof RemoveFile removed && ours.contains(removed.path())) {
            return false;
          }
        }
      }
    } catch (Exception e) {
      // the commits since the claim cannot be read (cleaned up from the log): the DELETE decides
      return false;
    }
    long now = System.currentTimeMillis();
    List<Action> removes = new ArrayList<>();
    long bytes = 0;
    for (AddFile f : claim.files()) {
      removes.add(f.removeWithTimestamp(now, true));
      bytes += f.size();
    }
    Map<String, Long> metrics = new LinkedHashMap<>();
    metrics.put("numRemovedFiles", (long) claim.files().size());
    metrics.put("numDeletedRows", 1L);
    metrics.put("numCopiedRows", 0L);
    metrics.put("numAddedFiles", 0L);
    metrics.put("numRemovedBytes", bytes);
    metrics.put("numAddedBytes", 0L);
    HistoryMetrics.register(spark, txn, metrics);
    txn.commit(seq(removes), new DeltaOperations.Delete(seq(List.of(expr(predicate).expr()))));
    return true;
  }
}
