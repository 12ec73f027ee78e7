package io.synclog.sink;

import static io.synclog.plan.Columns.RUN_DATE;
import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import io.synclog.log.LogTables;
import io.synclog.log.RunRecord;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The three tables as Delta Lake tables under {@code <location>/<schema>/}. Each write is one Delta
 * commit, each a {@code replaceWhere}: the changelog on (run_date, sync_id, sync_run_id), the
 * snapshot on its sync_id partition, the runs row on (sync_id, sync_run_id). Each is idempotent, so
 * a run interrupted between them is finished by rerunning it. A small lock table ({@code
 * _synclog_locks}, partitioned by sync) keeps two runs of one sync apart and remembers the snapshot
 * version an interrupted run diffed against.
 */
public final class DeltaLogSink implements LogSink {
  static final String LOCKS = "_synclog_locks";

  private final SparkSession spark;
  private final String root;
  private final Map<String, String> physical;
  private final boolean writeChangelog;

  /**
   * @param location folder or URI holding the schema folder
   * @param schema the schema folder's name
   * @param physical the physical name of each logical table (changelog, snapshot, runs)
   * @param writeChangelog whether the changelog is enabled
   */
  public DeltaLogSink(
      SparkSession spark,
      String location,
      String schema,
      Map<String, String> physical,
      boolean writeChangelog) {
    this.spark = spark;
    this.root = qualified(spark, stripSlash(location)) + "/" + schema;
    this.physical = Map.copyOf(physical);
    this.writeChangelog = writeChangelog;
  }

  /**
   * A relative location ({@code warehouse}) is resolved against the working folder: Delta would
   * otherwise read {@code warehouse/sync_audit/...} as a table name.
   */
  private static String qualified(SparkSession spark, String location) {
    try {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration())
          .makeQualified(path)
          .toString();
    } catch (java.io.IOException e) {
      throw Errors.unreadableTable(location, e);
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  String path(String logical) {
    return root + "/" + physical.getOrDefault(logical, logical);
  }

  @Override
  public String describe() {
    return "Delta tables under " + root;
  }

  @Override
  public String tableName(String logical) {
    return path(logical);
  }

  // ---- tables ------------------------------------------------------------------------------

  @Override
  public void prepare() {
    if (writeChangelog) {
      create("changelog", LogTables.changelogSchema(false), RUN_DATE);
    }
    create("snapshot", LogTables.snapshotSchema(false), SYNC_ID);
    create("runs", LogTables.runsSchema(), null);
    create(LogTables.PLANS, LogTables.planSchema(), SYNC_ID);
    create(LOCKS, lockSchema(), SYNC_ID);
  }

  /**
   * Serialises table creation inside this JVM: two syncs recorded at once by one driver would
   * otherwise race on Delta's cached view of a table that is half created.
   */
  private static final Object CREATING = new Object();

  private void create(String logical, StructType schema, String partition) {
    String path = path(logical);
    synchronized (CREATING) {
      for (int attempt = 1; ; attempt++) {
        try {
          Retry.onConflict("create " + path, () -> createIfAbsent(path, schema, partition));
          return;
        } catch (Exception e) {
          // Another job may have created it first, whatever Delta called that race.
          if (exists(path)) {
            return;
          }
          if (attempt >= 3) {
            throw e;
          }
          sleepQuietly(200L * attempt);
        }
      }
    }
  }

  private void createIfAbsent(String path, StructType schema, String partition) {
    if (exists(path)) {
      return;
    }
    var builder = DeltaTable.createIfNotExists(spark).location(path).addColumns(schema);
    if (partition != null) {
      builder = builder.partitionedBy(partition);
    }
    builder.execute();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether a Delta table is at the path: a file-system check, no Spark job. A table counts once
   * its first commit is written: another sync creating it at this moment may have made the {@code
   * _delta_log} folder already, but not yet the commit.
   */
  private boolean exists(String path) {
    try {
      org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(path, "_delta_log");
      var fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(log)) {
        return false;
      }
      for (var status : fs.listStatus(log)) {
        String name = status.getPath().getName();
        if (name.endsWith(".json") || name.contains(".checkpoint")) {
          return true;
        }
      }
      return false;
    } catch (java.io.IOException e) {
      return DeltaTable.isDeltaTable(spark, path);
    }
  }

  private long version(String logical) {
    return DeltaTable.forPath(spark, path(logical)).history(1).select("version").head().getLong(0);
  }

  private Dataset<Row> read(String logical) {
    return spark.read().format("delta").load(path(logical));
  }

  // ---- runs --------------------------------------------------------------------------------

  @Override
  public Optional<RunRecord> recordedRun(String syncId, String runId) {
    List<Row> rows =
        read("runs")
            .where(col(SYNC_ID).equalTo(syncId).and(col(SYNC_RUN_ID).equalTo(runId)))
            .limit(1)
            .collectAsList();
    return rows.stream().findFirst().map(LogTables::runRecord);
  }

  @Override
  public Optional<String> lastModelSchema(String syncId) {
    List<Row> rows =
        read("runs")
            .where(col(SYNC_ID).equalTo(syncId))
            .orderBy(col("started_at").desc(), col("recorded_at").desc())
            .select("model_schema")
            .limit(1)
            .collectAsList();
    return rows.stream().findFirst().map(r -> r.getString(0));
  }

  // ---- locks -------------------------------------------------------------------------------

  private static StructType lockSchema() {
    return new StructType()
        .add(SYNC_ID, DataTypes.StringType)
        .add(SYNC_RUN_ID, DataTypes.StringType)
        .add("phase", DataTypes.StringType)
        .add("base_version", DataTypes.LongType)
        .add("started_at", DataTypes.TimestampType)
        .add("claimed_at", DataTypes.TimestampType)
        .add("model_schema", DataTypes.StringType);
  }

  private Optional<Row> lockRow(String syncId) {
    return read(LOCKS).where(col(SYNC_ID).equalTo(syncId)).limit(1).collectAsList().stream()
        .findFirst();
  }

  private static RunLock toLock(Row row, boolean resumed) {
    return new RunLock(
        row.getAs(SYNC_ID),
        row.getAs(SYNC_RUN_ID),
        row.getAs("phase"),
        row.<Long>getAs("base_version"),
        row.<Timestamp>getAs("started_at").toInstant(),
        row.getAs("model_schema"),
        resumed);
  }

  @Override
  public RunLock acquire(String syncId, String runId, Instant startedAt) {
    Optional<Row> held = lockRow(syncId);
    if (held.isPresent()) {
      // A run finding its own lock resumes an interrupted attempt, unless it only finds the plan
      // it stored: that is the normal way from plan to record.
      boolean resumed = !RunLock.PLANNED.equals(held.get().getAs("phase"));
      return ownOrFail(held.get(), syncId, runId, resumed);
    }
    long base = version("snapshot");
    Row claim =
        RowFactory.create(
            syncId,
            runId,
            RunLock.RECORDING,
            base,
            Timestamp.from(startedAt),
            Timestamp.from(Instant.now()),
            null);
    Dataset<Row> source = spark.createDataFrame(List.of(claim), lockSchema());
    try {
      DeltaTable.forPath(spark, path(LOCKS))
          .as("t")
          .merge(source.as("s"), Sql.eq("t." + SYNC_ID, syncId) + " AND t.sync_id = s.sync_id")
          .whenNotMatched()
          .insertAll()
          .execute();
    } catch (ConcurrentModificationException e) {
      throw Errors.concurrentRun(syncId, runId, path(LOCKS));
    }
    Row now = lockRow(syncId).orElseThrow(() -> Errors.concurrentRun(syncId, runId, path(LOCKS)));
    return ownOrFail(now, syncId, runId, false);
  }

  private RunLock ownOrFail(Row row, String syncId, String runId, boolean resumed) {
    String holder = row.getAs(SYNC_RUN_ID);
    if (!holder.equals(runId)) {
      throw Errors.runInProgress(
          syncId,
          runId,
          holder,
          RunLock.PLANNED.equals(row.getAs("phase"))
              ? "planned but not recorded yet"
              : "being recorded, or was interrupted",
          path(LOCKS));
    }
    return toLock(row, resumed);
  }

  @Override
  public Dataset<Row> previousSnapshot(RunLock lock) {
    Dataset<Row> snapshot =
        spark
            .read()
            .format("delta")
            .option("versionAsOf", lock.baseVersion())
            .load(path("snapshot"))
            .where(col(SYNC_ID).equalTo(lock.syncId()));
    if (!List.of(snapshot.columns()).contains(SPLIT_GROUP)) {
      snapshot = snapshot.withColumn(SPLIT_GROUP, lit(null).cast("string"));
    }
    return snapshot;
  }

  @Override
  public RunLock storePlan(RunLock lock, Dataset<Row> planRows, String modelSchema) {
    write(
        LogTables.PLANS,
        lock,
        () -> replace(planRows, LogTables.PLANS, Sql.eq(SYNC_ID, lock.syncId())));
    write(
        LOCKS,
        lock,
        () ->
            DeltaTable.forPath(spark, path(LOCKS))
                .updateExpr(
                    Sql.eq(SYNC_ID, lock.syncId()) + " AND " + Sql.eq(SYNC_RUN_ID, lock.runId()),
                    Map.of(
                        "phase",
                        Sql.literal(RunLock.PLANNED),
                        "model_schema",
                        Sql.literal(modelSchema))));
    return lock.withPlan(modelSchema);
  }

  @Override
  public Optional<Dataset<Row>> storedPlan(RunLock lock) {
    if (!lock.planned()) {
      return Optional.empty();
    }
    return Optional.of(
        read(LogTables.PLANS)
            .where(
                col(SYNC_ID).equalTo(lock.syncId()).and(col(SYNC_RUN_ID).equalTo(lock.runId()))));
  }

  // ---- commit ------------------------------------------------------------------------------

  @Override
  public void commit(RunLock lock, RunOutput output, FaultHook hook) {
    if (writeChangelog) {
      String where =
          Sql.eq(RUN_DATE, output.runDate().toString())
              + " AND "
              + Sql.eq(SYNC_ID, lock.syncId())
              + " AND "
              + Sql.eq(SYNC_RUN_ID, lock.runId());
      write("changelog", lock, () -> replace(output.changelog(), "changelog", where));
    }
    hook.at(AFTER_CHANGELOG);
    write(
        "snapshot",
        lock,
        () -> replace(output.snapshot(), "snapshot", Sql.eq(SYNC_ID, lock.syncId())));
    hook.at(AFTER_SNAPSHOT);
    Dataset<Row> run =
        spark.createDataFrame(List.of(LogTables.runRow(output.run())), LogTables.runsSchema());
    write(
        "runs",
        lock,
        () ->
            replace(
                run,
                "runs",
                Sql.eq(SYNC_ID, lock.syncId()) + " AND " + Sql.eq(SYNC_RUN_ID, lock.runId())));
    hook.at(AFTER_RUNS);
  }

  private void replace(Dataset<Row> rows, String logical, String where) {
    rows.write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", where)
        .option("mergeSchema", "true")
        .save(path(logical));
  }

  private void write(String logical, RunLock lock, Runnable step) {
    try {
      Retry.onConflict("write " + path(logical), step);
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      throw Errors.writeFailed(lock.syncId(), lock.runId(), path(logical), e);
    }
  }

  @Override
  public void release(RunLock lock) {
    if (lock.planned()) {
      write(
          LogTables.PLANS,
          lock,
          () ->
              DeltaTable.forPath(spark, path(LogTables.PLANS))
                  .delete(Sql.eq(SYNC_ID, lock.syncId())));
    }
    write(
        LOCKS,
        lock,
        () ->
            DeltaTable.forPath(spark, path(LOCKS))
                .delete(
                    Sql.eq(SYNC_ID, lock.syncId()) + " AND " + Sql.eq(SYNC_RUN_ID, lock.runId())));
  }

  @Override
  public Optional<RunLock> heldLock(String syncId) {
    return lockRow(syncId).map(row -> toLock(row, true));
  }

  // ---- prune -------------------------------------------------------------------------------

  @Override
  public PruneResult prune(Instant cutoff) {
    long changelogRows = 0;
    if (writeChangelog) {
      String where =
          RUN_DATE
              + " < "
              + Sql.literal(LocalDate.ofInstant(cutoff, java.time.ZoneOffset.UTC).toString());
      changelogRows = read("changelog").where(where).count();
      Retry.onConflict(
          "prune " + path("changelog"),
          () -> DeltaTable.forPath(spark, path("changelog")).delete(where));
    }
    Supplier<Dataset<Row>> stale =
        () ->
            read("runs")
                .withColumn(
                    "newest",
                    org.apache
                        .spark
                        .sql
                        .functions
                        .row_number()
                        .over(
                            Window.partitionBy(SYNC_ID)
                                .orderBy(col("started_at").desc(), col("recorded_at").desc())))
                .where(col("newest").gt(1).and(col("started_at").lt(lit(Timestamp.from(cutoff)))))
                .select(SYNC_ID, SYNC_RUN_ID);
    long runRows = stale.get().count();
    Retry.onConflict(
        "prune " + path("runs"),
        () ->
            DeltaTable.forPath(spark, path("runs"))
                .as("t")
                .merge(
                    stale.get().as("s"), "t.sync_id = s.sync_id AND t.sync_run_id = s.sync_run_id")
                .whenMatched()
                .delete()
                .execute());
    return new PruneResult(changelogRows, runRows);
  }
}
