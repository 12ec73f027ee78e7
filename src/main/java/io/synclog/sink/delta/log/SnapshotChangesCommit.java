package io.synclog.sink.delta.log;

import static io.synclog.log.SnapshotChange.RESET;
import static io.synclog.log.SnapshotChange.SNAPSHOT_CHANGE;
import static io.synclog.log.SnapshotChange.UPSERT;
import static io.synclog.plan.Columns.ADDED;
import static io.synclog.plan.Columns.CHANGED;
import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.REMOVED;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.UNCHANGED;
import static io.synclog.sink.delta.log.Scala.seq;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.synclog.sql.SparkSql;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.SetTransaction;
import org.apache.spark.sql.delta.commands.DMLWithDeletionVectorsHelper$;
import org.apache.spark.sql.delta.commands.DeletionVectorBitmapGenerator$;
import org.apache.spark.sql.delta.commands.DeletionVectorResult;
import org.apache.spark.sql.delta.commands.DeletionVectorUtils$;
import org.apache.spark.sql.delta.commands.TouchedFileWithDV;
import org.apache.spark.sql.delta.files.TahoeBatchFileIndex;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Writes a run's snapshot changes ({@link io.synclog.log.SnapshotChange#SNAPSHOT_CHANGE}) to a
 * Delta table by path as one commit with deletion vectors: the old copies of the rows the run
 * changed are marked deleted where they lie, and the rows' new versions are appended in a new file.
 * No untouched row is read whole or rewritten.
 *
 * <p>Why not Delta's {@code MERGE}: with deletion vectors it still reads every file that holds a
 * changed row whole (every column) and joins it with the changes, and at 1% of rows changed at
 * random every file holds one. Here the old copies are found by a scan of the {@code row_id} column
 * alone, with each row's file and position, from which Delta's own helpers build the deletion
 * vectors (merged with the ones a file already has); the new rows are written by the transaction,
 * and the commit carries the run's transaction id, so a rerun of a run whose commit landed skips
 * it. These helpers are Delta Lake's internals (the ones its {@code DELETE} uses), pinned by the
 * version in pom.xml; {@link TransactionLog#unusableForChanges} refuses tables whose features they
 * do not cover (change data feed, row tracking, column mapping), and the sink then writes the
 * snapshot whole.
 *
 * <p>Rows a run resets (planned by the previous run, not by this one: their op_type becomes {@code
 * unchanged}) are read back from the table, from the files whose statistics say they hold rows of
 * another op_type: the previous run's new files, in the steady state.
 */
final class SnapshotChangesCommit {
  private final SparkSession spark;
  private final String path;
  private final String syncId;
  private final DeltaLog log;
  private final OptimisticTransaction txn;

  private SnapshotChangesCommit(SparkSession spark, String path, String syncId) {
    this.spark = spark;
    this.path = path;
    this.syncId = syncId;
    this.log = DeltaLog.forTable(spark, path);
    this.txn = log.startTransaction();
  }

  /** The sync's live and deleted rows and its files, from the latest version's statistics. */
  static TransactionLog.Stats stats(SparkSession spark, String path, String syncId) {
    OptimisticTransaction txn = DeltaLog.forTable(spark, path).startTransaction();
    long live = 0;
    long deleted = 0;
    List<AddFile> files = files(txn, syncId, true);
    for (AddFile f : files) {
      live += (Long) f.numLogicalRecords().getOrElse(() -> 0L);
      deleted += f.numDeletedRecords();
    }
    return new TransactionLog.Stats(live, deleted, files.size());
  }

  private static Expression inSync(String syncId) {
    return expr(SparkSql.eq(SYNC_ID, syncId)).expr();
  }

  /**
   * The sync's files whose statistics allow a row that also matches {@code filters}.
   *
   * @param withRowCounts keep each file's row count: the statistics read it, and so do Delta's
   *     deletion vector helpers
   */
  private static List<AddFile> files(
      OptimisticTransaction txn, String syncId, boolean withRowCounts, Column... filters) {
    List<Expression> predicates = new ArrayList<>(List.of(inSync(syncId)));
    for (Column filter : filters) {
      predicates.add(filter.expr());
    }
    return JavaConverters.seqAsJavaList(txn.filterFiles(seq(predicates), withRowCounts));
  }

  /** See {@link TransactionLog#commitChanges}. */
  static Optional<TransactionLog.CommitResult> apply(
      SparkSession spark,
      String path,
      String syncId,
      String appId,
      Dataset<Row> changes,
      boolean smallChanges) {
    SnapshotChangesCommit commit = new SnapshotChangesCommit(spark, path, syncId);
    if (commit.txn.txnVersion(appId) >= 0) {
      return Optional.empty();
    }
    return Optional.of(commit.write(appId, changes, smallChanges));
  }

  private TransactionLog.CommitResult write(
      String appId, Dataset<Row> changes, boolean smallChanges) {
    Seq<TouchedFileWithDV> touched = findOldCopies(keys(changes, null, smallChanges));
    var unmodified =
        DMLWithDeletionVectorsHelper$.MODULE$.processUnmodifiedData(spark, touched, txn.snapshot());
    List<Action> added = appendNewCopies(changes, keys(changes, RESET, smallChanges));
    List<Action> actions = new ArrayList<>(JavaConverters.seqAsJavaList(unmodified._1()));
    actions.addAll(added);
    actions.add(new SetTransaction(appId, 0L, Option.apply(System.currentTimeMillis())));
    long deletedRows = deletedRows(touched);
    long appendedRows = appendedRows(added);
    HistoryMetrics.register(
        spark, txn, historyMetrics(deletedRows, appendedRows, added.size(), unmodified._2()));
    long version = txn.commit(seq(actions), operation(syncId));
    return new TransactionLog.CommitResult(version, deletedRows, appendedRows, touched.size());
  }

  /** The changes' keys, of one kind of change or all, broadcast when they are few. */
  private static Dataset<Row> keys(Dataset<Row> changes, String change, boolean small) {
    Dataset<Row> of =
        change == null ? changes : changes.where(col(SNAPSHOT_CHANGE).equalTo(change));
    Dataset<Row> keys = of.select(col(ROW_ID).as("change_key"));
    return small ? broadcast(keys) : keys;
  }

  /**
   * The old copies: each changed key's row, by file and position, from a scan of row_id; the files
   * holding them, with the deletion vectors that mark them deleted.
   */
  private Seq<TouchedFileWithDV> findOldCopies(Dataset<Row> keys) {
    List<AddFile> files = files(txn, syncId, true);
    Dataset<Row> old =
        scan(files)
            .select(
                col(ROW_ID),
                col("_metadata.file_path").as("dv_file"),
                col("_metadata.row_index").as("dv_row"))
            .join(keys, col(ROW_ID).equalTo(col("change_key")), "left_semi");
    Seq<DeletionVectorResult> vectors =
        DeletionVectorBitmapGenerator$.MODULE$.buildRowIndexSetsForFilesMatchingCondition(
            spark,
            txn,
            DeletionVectorUtils$.MODULE$.deletionVectorsReadable(txn.protocol(), txn.metadata()),
            old,
            seq(files),
            Literal.TrueLiteral(),
            Option.apply(col("dv_file")),
            Option.apply(col("dv_row")));
    return DMLWithDeletionVectorsHelper$.MODULE$.findFilesWithMatchingRows(
        txn,
        DMLWithDeletionVectorsHelper$.MODULE$.generateCandidateFileMap(log.dataPath(), seq(files)),
        vectors);
  }

  /** The new copies, in one new file: upserted rows as given, reset rows read back unchanged. */
  private List<Action> appendNewCopies(Dataset<Row> changes, Dataset<Row> resetKeys) {
    StructType schema = txn.metadata().schema();
    Dataset<Row> upserts = shaped(changes.where(col(SNAPSHOT_CHANGE).equalTo(UPSERT)), schema);
    List<AddFile> resetFiles = resetCandidates();
    Dataset<Row> resets =
        shaped(
            scan(resetFiles)
                .where(notUnchanged())
                .join(resetKeys, col(ROW_ID).equalTo(col("change_key")), "left_semi")
                .withColumn(OP_TYPE, lit(UNCHANGED)),
            schema);
    Dataset<Row> union = upserts.unionByName(resets);
    // Coalescing would also read the reset candidates in the one appending task; past a size,
    // the candidates are scanned in parallel and only the appended rows are shuffled.
    Dataset<Row> appended =
        bytes(resetFiles) > parallelResetScanBytes(spark)
            ? union.repartition(1)
            : union.coalesce(1);
    return new ArrayList<>(JavaConverters.seqAsJavaList(txn.writeFiles(appended)));
  }

  private static long deletedRows(Seq<TouchedFileWithDV> touched) {
    long rows = 0;
    for (TouchedFileWithDV t : JavaConverters.seqAsJavaList(touched)) {
      rows += t.numberOfModifiedRows();
    }
    return rows;
  }

  private static long appendedRows(List<Action> added) {
    long rows = 0;
    for (Action a : added) {
      if (a instanceof AddFile f) {
        rows += (Long) f.numLogicalRecords().getOrElse(() -> 0L);
      }
    }
    return rows;
  }

  /**
   * The commit's history metrics ({@code DESCRIBE HISTORY}), named as a MERGE's: each changed row
   * shows as one row deleted (its old copy) and one inserted, and no row copied.
   */
  private static Map<String, Long> historyMetrics(
      long deletedRows,
      long appendedRows,
      int addedFiles,
      scala.collection.immutable.Map<String, Object> unmodified) {
    Map<String, Long> metrics = new LinkedHashMap<>();
    metrics.put("numTargetRowsInserted", appendedRows);
    metrics.put("numTargetRowsDeleted", deletedRows);
    metrics.put("numTargetRowsCopied", 0L);
    metrics.put("numTargetFilesAdded", (long) addedFiles);
    metrics.put("numTargetFilesRemoved", count(unmodified, "numRemovedFiles"));
    metrics.put("numTargetDeletionVectorsAdded", count(unmodified, "numDeletionVectorsAdded"));
    metrics.put("numTargetDeletionVectorsUpdated", count(unmodified, "numDeletionVectorsUpdated"));
    metrics.put("numTargetDeletionVectorsRemoved", count(unmodified, "numDeletionVectorsRemoved"));
    return metrics;
  }

  private static long count(scala.collection.immutable.Map<String, Object> metrics, String name) {
    Option<Object> v = metrics.get(name);
    return v.isDefined() ? ((Number) v.get()).longValue() : 0L;
  }

  /** The sync's files of the transaction's version, readable with their row positions. */
  private Dataset<Row> scan(List<AddFile> files) {
    TahoeBatchFileIndex index =
        new TahoeBatchFileIndex(
            spark, "synclog snapshot", seq(files), log, log.dataPath(), txn.snapshot(), false);
    var table = spark.read().format("delta").load(path).queryExecution().analyzed();
    return DMLWithDeletionVectorsHelper$.MODULE$.createTargetDfForScanningForMatches(
        spark, table, index);
  }

  private static Column notUnchanged() {
    return col(OP_TYPE).isin(ADDED, CHANGED, REMOVED);
  }

  /**
   * The files a reset can apply to: those whose statistics allow a row of the sync whose op_type is
   * not unchanged. After a whole write, the files of the rows it planned; then the files each run
   * by changes appended (their statistics outlive the rows later marked deleted), until the next
   * whole write. A table compacted by {@code OPTIMIZE} mixes them into all its files.
   */
  private List<AddFile> resetCandidates() {
    return files(txn, syncId, false, notUnchanged());
  }

  private static long parallelResetScanBytes(SparkSession spark) {
    return Long.parseLong(
        spark.conf().get(TransactionLog.PARALLEL_RESET_SCAN_BYTES, String.valueOf(128L << 20)));
  }

  private static long bytes(List<AddFile> files) {
    long total = 0;
    for (AddFile f : files) {
      total += f.size();
    }
    return total;
  }

  /** The table's columns, in its order; a column the rows lack is null. */
  private static Dataset<Row> shaped(Dataset<Row> rows, StructType schema) {
    List<String> have = List.of(rows.columns());
    List<Column> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      Column c = have.contains(f.name()) ? col(f.name()) : lit(null);
      cols.add(c.cast(f.dataType()).as(f.name()));
    }
    return rows.select(cols.toArray(new Column[0]));
  }

  /** How the commit reads in the table's history: a MERGE on the sync's rows. */
  private static DeltaOperations.Operation operation(String syncId) {
    return new DeltaOperations.Merge(
        Option.apply(inSync(syncId)),
        Option.empty(),
        Option.empty(),
        Option.empty(),
        seq(List.of(new DeltaOperations.MergePredicate(Option.empty(), "delete"))),
        seq(List.of(new DeltaOperations.MergePredicate(Option.empty(), "insert"))),
        seq(List.of()));
  }
}
