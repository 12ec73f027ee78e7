package io.synclog.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.job.SparkSessions;
import io.synclog.log.LogTables;
import io.synclog.log.RunCounts;
import io.synclog.log.RunRecord;
import io.synclog.plan.ModelRows;
import io.synclog.sink.LogSink;
import io.synclog.sink.Sinks;
import io.synclog.source.ModelSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes synclog's tables as the untimed run-1 leaves them, instead of recording run-0 (every row
 * added) and run-1: for sizes where those two runs take hours. The tables are made by synclog's own
 * sink ({@code prepare}) and row functions: every row of the previous model in the snapshot with
 * its canonical fields and fields hash, succeeded and in the destination; the rows run-1 planned
 * (those that differ from the initial model) as {@code changed} by run-1, the others {@code
 * unchanged} since run-0, in separate files as run-1's whole write leaves them; and the runs rows
 * of run-0 and run-1. The changelog is left empty.
 *
 * <p>Usage: {@code DirectPrepare <dir> <change-rate>}.
 */
public final class DirectPrepare {
  private DirectPrepare() {}

  /** The files run-1's planned rows land in: its shuffle's partitions. */
  private static final int PLANNED_FILES = 4;

  public static void main(String[] args) {
    Path dir = Path.of(args[0]).toAbsolutePath();
    double changeRate = Double.parseDouble(args[1]);
    try (SparkSessions.Handle handle = SparkSessions.getOrCreate("local[*]")) {
      prepare(handle.spark(), dir, changeRate);
    }
  }

  /** The settings the benchmark records its runs with. */
  static SyncConfig config(Path dir, String runId, String model, String statuses) {
    Map<String, String> settings =
        Map.of(
            "sync.id",
            "bench",
            "sync.destination",
            "bench",
            "model.id",
            "bench-customers",
            "model.primary-key",
            "id",
            "model.path",
            dir.resolve(model).toString(),
            "statuses.path",
            dir.resolve(statuses).toString(),
            "target.location",
            dir.resolve("warehouse").toString(),
            "run.id",
            runId);
    return SyncConfig.resolve(
        new ConfigSources(Map.of(), Map.of(), Map.of(), settings), SyncConfig.Need.RUN);
  }

  static void prepare(SparkSession spark, Path dir, double changeRate) {
    SyncConfig config = config(dir, "run-1", BenchData.PREVIOUS_MODEL, BenchData.PREVIOUS_STATUSES);
    LogSink sink = Sinks.open(spark, config);
    sink.prepare();

    Dataset<Row> model = spark.read().parquet(dir.resolve(BenchData.PREVIOUS_MODEL).toString());
    Dataset<Row> rows =
        ModelRows.withFieldsJson(ModelRows.prepare(model, "id", ModelRows.Splits.none()))
            .withColumn("bench_id", expr("cast(row_id as bigint)"))
            .withColumn("changed_by_run_1", BenchData.changedBefore(changeRate, "bench_id"))
            .withColumn(
                "op_type", when(col("changed_by_run_1"), lit("changed")).otherwise("unchanged"))
            .withColumn("status", lit("succeeded"))
            .withColumn("failed_reason", lit(null).cast("string"))
            .withColumn("in_destination", lit(true))
            .withColumn(
                "last_sync_run_id", when(col("changed_by_run_1"), lit("run-1")).otherwise("run-0"));
    // As run-1's whole write lays them out: its planned rows in files of their own (the status
    // merge's planned branch), apart from the rows it carried over unchanged.
    Dataset<Row> snapshot = LogTables.snapshotRows(rows, config.syncId(), false);
    Column planned = col("op_type").notEqual("unchanged");
    snapshot
        .where(not(planned))
        .unionByName(snapshot.where(planned).coalesce(PLANNED_FILES))
        .write()
        .format("delta")
        .mode("append")
        .save(sink.tableName("snapshot"));

    long all = model.count();
    long changed = model.where(BenchData.changedBefore(changeRate, "id")).count();
    String schema = ModelSource.schemaOf(model.schema());
    Instant run0 = Instant.now().minusSeconds(7200);
    Instant run1 = Instant.now().minusSeconds(3600);
    List<Row> runs =
        List.of(
            LogTables.runRow(run(config, "run-0", run0, "added", all, schema)),
            LogTables.runRow(run(config, "run-1", run1, "changed", changed, schema)));
    spark
        .createDataFrame(runs, LogTables.runsSchema())
        .write()
        .format("delta")
        .mode("append")
        .save(sink.tableName("runs"));
    System.out.printf(
        "prepared %,d snapshot rows (%,d changed by run-1) and the runs of run-0 and run-1%n",
        all, changed);
  }

  private static RunRecord run(
      SyncConfig config, String runId, Instant at, String op, long rows, String schema) {
    return new RunRecord(
        config.syncId(),
        runId,
        config.primaryKey(),
        config.destination(),
        config.modelName(),
        config.modelId(),
        "succeeded",
        null,
        at,
        at.plusSeconds(60),
        RunCounts.of(List.of(new RunCounts.Cell(op, "succeeded", rows))),
        0,
        0,
        schema,
        at.plusSeconds(60));
  }
}
