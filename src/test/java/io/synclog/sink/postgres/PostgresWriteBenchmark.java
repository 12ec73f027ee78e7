package io.synclog.sink.postgres;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.synclog.log.LogTables;
import io.synclog.log.RunCounts;
import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import io.synclog.sink.FaultHook;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import io.synclog.testing.SparkExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Not a unit test: writes one 1M-row run (1M changelog rows and a 1M-row snapshot) to the embedded
 * Postgres and prints rows per second, and compares the two ways of filling a staging table.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java @jobs/lib/jvm17.args -Xmx3g -cp target/test-classes:target/classes:$(cat cp.txt) \
 *     io.synclog.sink.postgres.PostgresWriteBenchmark [rows]
 * </pre>
 */
public final class PostgresWriteBenchmark {
  private PostgresWriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    SparkSession spark = SparkExtension.spark();
    Dataset<Row> changelog = changelog(spark, rows).persist(StorageLevel.MEMORY_ONLY());
    Dataset<Row> snapshot = snapshot(changelog).persist(StorageLevel.MEMORY_ONLY());
    System.out.printf(
        "generated %d rows in %d partitions%n",
        changelog.count(), changelog.rdd().getNumPartitions());
    snapshot.count();

    PgTarget target =
        PgTarget.of(
            EmbeddedPg.url(),
            EmbeddedPg.APP_USER,
            io.synclog.config.Secret.of(EmbeddedPg.APP_PASSWORD));
    compareStaging(spark, target, changelog, rows);

    PostgresLogSink sink =
        new PostgresLogSink(
            spark,
            target,
            "bench",
            Map.of("changelog", "sync_changelog", "snapshot", "sync_snapshot", "runs", "sync_runs"),
            true);
    sink.prepare();
    Instant started = Instant.parse("2026-03-01T10:00:00Z");
    RunLock lock = sink.acquire(new SyncRun("bench", "r1"), started);
    RunRecord run =
        new RunRecord(
            "bench",
            "r1",
            "id",
            "bench",
            "bench",
            "bench",
            "succeeded",
            null,
            started,
            started.plusSeconds(60),
            RunCounts.of(List.of(new RunCounts.Cell("added", "succeeded", rows))),
            0,
            0,
            "id BIGINT",
            Instant.now());
    long t0 = System.nanoTime();
    sink.commit(
        lock, new RunOutput(changelog, snapshot, run, LocalDate.of(2026, 3, 1)), FaultHook.NONE);
    double s = (System.nanoTime() - t0) / 1e9;
    sink.release(lock);
    System.out.printf(
        "commit of a %,d-row run (%,d changelog + %,d snapshot rows, staged, swapped in one"
            + " transaction): %.1f s = %,.0f run rows/s (%,.0f table rows/s)%n",
        rows, rows, rows, s, rows / s, 2.0 * rows / s);
  }

  /** The staging step alone, both ways, into an UNLOGGED table. */
  private static void compareStaging(SparkSession spark, PgTarget target, Dataset<Row> rows, int n)
      throws Exception {
    String table = "\"public\".\"bench_stage\"";
    try (Connection c = target.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS bench");
    }
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement()) {
      st.execute("GRANT CREATE ON SCHEMA public TO " + EmbeddedPg.APP_USER);
    }
    reset(target, table, rows);
    long t0 = System.nanoTime();
    PgCopy.load(rows, target, table);
    double copy = (System.nanoTime() - t0) / 1e9;
    System.out.printf("staging by COPY per partition: %.1f s = %,.0f rows/s%n", copy, n / copy);

    reset(target, table, rows);
    t0 = System.nanoTime();
    rows.withColumn(PgCopy.PART, lit(0))
        .write()
        .mode("append")
        .format("jdbc")
        .options(target.sparkOptions())
        .option("url", EmbeddedPg.url() + "?reWriteBatchedInserts=true")
        .option("dbtable", table)
        .option("batchsize", "10000")
        .save();
    double batch = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "staging by Spark's JDBC writer (batchsize 10000, reWriteBatchedInserts): %.1f s = %,.0f rows/s%n",
        batch, n / batch);
    reset(target, table, rows);
  }

  private static void reset(PgTarget target, String table, Dataset<Row> rows) throws Exception {
    try (Connection c = target.connect();
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + table);
      st.execute(PgDdl.createStaging(table, rows.schema()));
    }
  }

  private static Dataset<Row> changelog(SparkSession spark, int rows) {
    Dataset<Row> ids = spark.range(1, rows + 1L, 1, 8).toDF("id");
    Dataset<Row> shaped =
        ids.withColumn("row_id", col("id").cast("string"))
            .withColumn("op_type", lit("added"))
            .withColumn(
                "status",
                when(col("id").mod(50).equalTo(0), lit("failed")).otherwise(lit("succeeded")))
            .withColumn("failed_reason", when(col("id").mod(50).equalTo(0), lit("rate limited")))
            .withColumn(
                "fields",
                concat(
                    lit("{\"email\":\"user"),
                    col("id"),
                    lit("@example.com\",\"id\":"),
                    col("id"),
                    lit(",\"plan\":\"free\",\"score\":"),
                    col("id").mod(1000),
                    lit("}")))
            .withColumn("fields_hash", xxhash64(col("fields")))
            .withColumn("split_group", lit(null).cast("string"));
    return LogTables.changelogRows(
        shaped, new SyncRun("bench", "r1"), LocalDate.of(2026, 3, 1), false);
  }

  private static Dataset<Row> snapshot(Dataset<Row> changelog) {
    return LogTables.snapshotRows(
        changelog
            .withColumn("in_destination", col("status").equalTo("succeeded"))
            .withColumn("last_sync_run_id", lit("r1")),
        "bench",
        false);
  }
}
