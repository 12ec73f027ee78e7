package io.synclog.sink.redshift;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.synclog.error.Errors;
import io.synclog.log.LogTables;
import io.synclog.sink.FaultHook;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import io.synclog.sink.warehouse.JdbcSession;
import io.synclog.sink.warehouse.JdbcWarehouseSink;
import io.synclog.sink.warehouse.StagingTables;
import io.synclog.sink.warehouse.WarehouseCalls;
import io.synclog.sink.warehouse.WarehouseDdl;
import io.synclog.sink.warehouse.WarehouseNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The three tables (and the plan and lock tables) in a Redshift schema: the shared warehouse
 * protocol ({@link JdbcWarehouseSink}) for the tables, the runs, the locks and prune, with the bulk
 * reads and writes through the spark-redshift community connector, which the cluster supplies (EMR,
 * Glue).
 *
 * <p>A commit is ONE connector write, so one Redshift transaction. The run's changelog rows, the
 * sync's next snapshot and the runs row go into a per-run staging table (one union schema with a
 * {@code kind} column, {@code fields} as text), which the connector loads with COPY from the S3
 * temp dir. In the same transaction, its postactions ({@link RsSwap}) check that the run still
 * holds the sync's lock, then replace the run's changelog rows, the sync's snapshot (parsing {@code
 * fields} into SUPER with JSON_PARSE) and the runs row, all by joining on the staged rows: no id or
 * text of the run is ever written into SQL. Readers see the run entirely or not at all; a failure
 * anywhere rolls everything back, and a rerun repeats the whole write. The staging table is dropped
 * however the write ends; one left by a killed process is replaced by the run's next attempt and
 * dropped when the run releases its lock. A plan is stored the same way.
 *
 * <p>TRUNCATE and ALTER TABLE APPEND are never used: on Redshift both commit the transaction they
 * run in. Small reads and writes (locks, runs rows, DDL, prune) go over JDBC with bound parameters;
 * the snapshot and the plan are read back through the connector (UNLOAD to the temp dir), filtered
 * by Spark predicates that the connector pushes down.
 */
public final class RedshiftLogSink extends JdbcWarehouseSink {

  private static final String READ_HINT =
      "Check target.jdbc-url, target.user, target.temp-dir and target.iam-role, and that the"
          + " user may read target.schema.";
  private static final String WRITE_HINT =
      "Check that target.user may create and write tables in target.schema.";

  /** The purpose of a commit's staging table (a plan's is {@link RsSwap#PLAN}). */
  private static final String COMMIT = "commit";

  private static final StructType CONTROL =
      new StructType()
          .add(SYNC_ID, "string")
          .add(SYNC_RUN_ID, "string")
          .add("model_schema", "string");

  private final SparkSession spark;
  private final RsConnector connector;

  /**
   * The sink named by {@code target.kind=redshift}.
   *
   * @param physical the physical name of each logical table (changelog, snapshot, runs)
   * @param writeChangelog whether the changelog is enabled
   */
  public RedshiftLogSink(
      SparkSession spark,
      RsTarget target,
      String schema,
      Map<String, String> physical,
      boolean writeChangelog) {
    this(spark, target, new RsNames(schema, physical), writeChangelog);
  }

  private RedshiftLogSink(
      SparkSession spark, RsTarget target, RsNames names, boolean writeChangelog) {
    super(
        names,
        new JdbcSession(target::connect, RedshiftDialect.INSTANCE),
        new RsSql(names),
        new RsLocks(names),
        new WarehouseCalls(
            names, failure(target, READ_HINT), failure(target, WRITE_HINT), target::scrub),
        target.describe(),
        writeChangelog);
    this.spark = spark;
    this.connector = new RsConnector(spark, target, jdbc, names, locks);
  }

  private static WarehouseCalls.Failure failure(RsTarget target, String hint) {
    return (action, cause) ->
        Errors.warehouseFailed(
            RedshiftDialect.INSTANCE.warehouse(), action, target.describe(), hint, cause);
  }

  // ---- tables ------------------------------------------------------------------------------

  // ---- locks and plans ---------------------------------------------------------------------

  /** Releases the lock, and drops staging tables a killed attempt of the run may have left. */
  @Override
  public void release(RunLock lock) {
    super.release(lock);
    StagingTables.dropLeftovers(jdbc, names, lock.run(), List.of(RsSwap.PLAN, COMMIT));
  }

  /** The plan and the lock's planned mark, in ONE connector write (see {@link RsSwap#plan}). */
  @Override
  public RunLock storePlan(RunLock lock, Dataset<Row> planRows, String modelSchema) {
    Map<String, Dataset<Row>> parts = new LinkedHashMap<>();
    parts.put(RsSwap.PLAN, planRows);
    parts.put(
        RsSwap.RUN,
        spark.createDataFrame(
            List.of(RowFactory.create(lock.syncId(), lock.runId(), modelSchema)), CONTROL));
    List<String> columns = List.of(planRows.schema().fieldNames());
    calls.writing(
        WarehouseNames.PLANS,
        lock,
        () -> {
          connector.stagedWrite(
              WarehouseNames.PLANS,
              lock,
              RsSwap.PLAN,
              RsStaging.union(parts),
              staging -> RsSwap.plan(names, staging, columns),
              FaultHook.NONE);
          return null;
        });
    return lock.withPlan(modelSchema);
  }

  @Override
  protected Dataset<Row> readPlan(RunLock lock) {
    List<Column> select = new ArrayList<>();
    for (StructField f : LogTables.planSchema().fields()) {
      select.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return connector
        .read(WarehouseNames.PLANS)
        .where(col(SYNC_ID).equalTo(lock.syncId()).and(col(SYNC_RUN_ID).equalTo(lock.runId())))
        .select(select.toArray(new Column[0]));
  }

  /** The snapshot, {@code fields} read from its exact text, a missing split_group as null. */
  @Override
  protected Dataset<Row> readSnapshot(String syncId, boolean splits) {
    List<Column> select = new ArrayList<>();
    for (StructField f : LogTables.snapshotSchema(true).fields()) {
      Column c;
      if (f.name().equals(FIELDS)) {
        c = col(WarehouseDdl.FIELDS_TEXT);
      } else if (f.name().equals(SPLIT_GROUP) && !splits) {
        c = lit(null);
      } else {
        c = col(f.name());
      }
      select.add(c.cast(f.dataType()).as(f.name()));
    }
    return connector
        .read("snapshot")
        .where(col(SYNC_ID).equalTo(syncId))
        .select(select.toArray(new Column[0]));
  }

  // ---- commit ------------------------------------------------------------------------------

  /** The run's rows and the swap, in ONE connector write (see {@link RsSwap#commit}). */
  @Override
  public void commit(RunLock lock, RunOutput output, FaultHook hook) {
    Map<String, Dataset<Row>> parts = new LinkedHashMap<>();
    if (writeChangelog) {
      parts.put(RsSwap.CHANGELOG, output.changelog());
    }
    parts.put(RsSwap.SNAPSHOT, output.snapshot());
    parts.put(
        RsSwap.RUN,
        spark.createDataFrame(List.of(LogTables.runRow(output.run())), LogTables.runsSchema()));
    List<String> changelog =
        writeChangelog ? List.of(output.changelog().schema().fieldNames()) : null;
    List<String> snapshot = List.of(output.snapshot().schema().fieldNames());
    List<String> runs = List.of(LogTables.runsSchema().fieldNames());
    calls.writing(
        "snapshot",
        lock,
        () -> {
          if (writeChangelog) {
            addSplitGroupIfMissing("changelog", output.changelog().schema());
          }
          addSplitGroupIfMissing("snapshot", output.snapshot().schema());
          connector.stagedWrite(
              "snapshot",
              lock,
              COMMIT,
              RsStaging.union(parts),
              staging -> RsSwap.commit(names, staging, changelog, snapshot, runs),
              hook);
          return null;
        });
    hook.at(AFTER_RUNS);
  }
}
