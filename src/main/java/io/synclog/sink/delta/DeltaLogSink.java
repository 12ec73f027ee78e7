package io.synclog.sink.delta;

import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.synclog.config.ConfigKeys;
import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import io.synclog.log.LogTables;
import io.synclog.log.RunRecord;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.PruneResult;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import io.synclog.sql.SparkSql;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The three tables as Delta Lake tables, by path ({@code target.kind=delta}) or by catalog name
 * ({@code target.kind=databricks}). Each write is one Delta commit and idempotent, so a run
 * interrupted between them is finished by rerunning it: the changelog is an idempotent append
 * (Delta's {@code txnAppId}, one per run), or a {@code replaceWhere} on (run_date, sync_id,
 * sync_run_id) when an earlier attempt of the run may have written it; the snapshot is a {@code
 * replaceWhere} on its sync; the runs row a {@code replaceWhere} on (sync_id, sync_run_id). A small
 * lock table ({@code _synclog_locks}, partitioned by sync) keeps two runs of one sync apart and
 * remembers the snapshot version an interrupted run diffed against, so its rerun reads the snapshot
 * back by time travel.
 *
 * <p>Besides DataFrame reads and writes, the sink speaks only Spark SQL (see {@link
 * DeltaStatements}), never Delta's Scala table API, so it runs on Spark Connect sessions as well.
 */
public final class DeltaLogSink implements LogSink {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.synclog");
  static final String LOCKS = "_synclog_locks";

  private final SparkSession spark;
  private final DeltaTables tables;
  private final DeltaFeatures features;
  private final boolean writeChangelog;
  private final int snapshotRewriteRuns;

  DeltaLogSink(
      SparkSession spark,
      DeltaTables tables,
      DeltaFeatures features,
      boolean writeChangelog,
      int snapshotRewriteRuns) {
    this.spark = spark;
    this.tables = tables;
    this.features = features;
    this.writeChangelog = writeChangelog;
    this.snapshotRewriteRuns = snapshotRewriteRuns;
  }

  /** The sink named by {@code target.kind=delta} or {@code databricks} and the target.* keys. */
  public static DeltaLogSink open(
      SparkSession spark, SyncConfig config, Map<String, String> physical) {
    String deletionVectors = config.get(ConfigKeys.TARGET_DELETION_VECTORS);
    DeltaFeatures features =
        new DeltaFeatures(
            "true".equals(config.get(ConfigKeys.TARGET_LIQUID_CLUSTERING)),
            "true".equals(config.get(ConfigKeys.TARGET_CHANGE_DATA_FEED)),
            "true".equals(deletionVectors)
                || ("auto".equals(deletionVectors)
                    && !"databricks".equals(config.targetKind())
                    && DELTA_LOG_API));
    DeltaTables tables;
    if ("databricks".equals(config.targetKind())) {
      String catalog = config.get(ConfigKeys.TARGET_CATALOG);
      List<String> problems = CatalogNames.problems(catalog);
      if (!problems.isEmpty()) {
        throw Errors.targetSettings("databricks", problems);
      }
      tables = new CatalogTables(spark, new CatalogNames(catalog, config.schema(), physical));
    } else {
      tables = new PathTables(spark, config.location(), config.schema(), physical);
    }
    return new DeltaLogSink(
        spark, tables, features, config.tableEnabled("changelog"), config.snapshotRewriteRuns());
  }

  @Override
  public String describe() {
    return tables.describe();
  }

  @Override
  public String tableName(String logical) {
    return tables.display(logical);
  }

  // ---- tables ------------------------------------------------------------------------------

  @Override
  public void prepare() {
    tables.prepareNamespace();
    if (writeChangelog) {
      create("changelog", LogTables.changelogSchema(false));
    }
    create("snapshot", LogTables.snapshotSchema(false));
    create("runs", LogTables.runsSchema());
    create(LogTables.PLANS, LogTables.planSchema());
    create(LOCKS, lockSchema());
  }

  /**
   * Serialises table creation inside this JVM: two syncs recorded at once by one driver would
   * otherwise race on Delta's cached view of a table that is half created.
   */
  private static final Object CREATING = new Object();

  private void create(String logical, StructType schema) {
    String ddl =
        DeltaStatements.createTable(
            tables.sqlName(logical),
            schema,
            features.layout(logical),
            features.properties(logical));
    synchronized (CREATING) {
      for (int attempt = 1; ; attempt++) {
        try {
          Retry.onConflict(
              "create " + tables.display(logical),
              () -> {
                if (!tables.exists(logical)) {
                  sql(ddl);
                }
              });
          return;
        } catch (Exception e) {
          // Another job may have created it first, whatever Delta called that race.
          if (tables.exists(logical)) {
            return;
          }
          if (attempt >= 3) {
            throw Errors.warehouseFailed(
                "Delta Lake",
                "create table " + tables.display(logical),
                tables.describe(),
                "Check that synclog may create tables there (target.location, or target.catalog"
                    + " and target.schema).",
                e);
          }
          sleepQuietly(200L * attempt);
        }
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs one statement. A write conflict is rethrown as Delta's own {@link
   * ConcurrentModificationException}, however the session wrapped it, so {@link Retry} sees it.
   */
  private Dataset<Row> sql(String statement) {
    try {
      return spark.sql(statement);
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConcurrentModificationException conflict) {
          throw conflict;
        }
      }
      throw e;
    }
  }

  /**
   * The table's latest version: by path from the Delta log itself, whose state the run reads next
   * anyway; by name from its history.
   */
  private long version(String logical) {
    Optional<String> path = byLog(logical);
    if (path.isPresent()) {
      return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path.get())
          .update(false, scala.Option.empty(), scala.Option.empty())
          .version();
    }
    return sql(DeltaStatements.latestVersion(tables.sqlName(logical)))
        .select("version")
        .head()
        .getLong(0);
  }

  /**
   * Whether this Spark runs open-source Delta Lake, whose transaction log synclog then uses
   * directly for tables by path (the lock claim, the snapshot written by changes). A runtime with
   * its own Delta (Databricks) has no such classes: synclog then speaks SQL to every table.
   */
  static final boolean DELTA_LOG_API = deltaLogApi();

  private static boolean deltaLogApi() {
    try {
      Class.forName(
          "org.apache.spark.sql.delta.DeltaLog", false, DeltaLogSink.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The table's folder when synclog may use its Delta log directly ({@link #DELTA_LOG_API}). */
  private Optional<String> byLog(String logical) {
    return DELTA_LOG_API ? tables.location(logical) : Optional.empty();
  }

  private Dataset<Row> read(String logical) {
    return tables.read(logical);
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
    Optional<String> locks = byLog(LOCKS);
    if (locks.isPresent()) {
      return acquireByPath(locks.get(), syncId, runId, startedAt);
    }
    Optional<Row> held = lockRow(syncId);
    if (held.isPresent()) {
      return resumeOrFail(held.get(), syncId, runId);
    }
    long base = version("snapshot");
    String claim =
        DeltaStatements.claim(
            tables.sqlName(LOCKS),
            syncId,
            runId,
            RunLock.RECORDING,
            base,
            startedAt,
            Instant.now());
    try {
      sql(claim);
    } catch (ConcurrentModificationException e) {
      throw Errors.concurrentRun(syncId, runId, tables.display(LOCKS));
    }
    Row now =
        lockRow(syncId)
            .orElseThrow(() -> Errors.concurrentRun(syncId, runId, tables.display(LOCKS)));
    return ownOrFail(now, syncId, runId, false);
  }

  /**
   * A run finding its own lock resumes an interrupted attempt, unless it only finds the plan it
   * stored: that is the normal way from plan to record.
   */
  private RunLock resumeOrFail(Row held, String syncId, String runId) {
    boolean resumed = !RunLock.PLANNED.equals(held.getAs("phase"));
    return ownOrFail(held, syncId, runId, resumed);
  }

  /** The claim as one transaction on the lock table ({@link PathLockClaim}). */
  private RunLock acquireByPath(String locks, String syncId, String runId, Instant startedAt) {
    Instant started = startedAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    long base = version("snapshot");
    Row row =
        org.apache.spark.sql.RowFactory.create(
            syncId,
            runId,
            RunLock.RECORDING,
            base,
            Timestamp.from(started),
            Timestamp.from(Instant.now()),
            null);
    boolean claimed;
    try {
      claimed = PathLockClaim.insertIfAbsent(spark, locks, syncId, row, lockSchema());
    } catch (ConcurrentModificationException e) {
      throw Errors.concurrentRun(syncId, runId, tables.display(LOCKS));
    }
    if (claimed) {
      return new RunLock(syncId, runId, RunLock.RECORDING, base, started, null, false);
    }
    Row held =
        lockRow(syncId)
            .orElseThrow(() -> Errors.concurrentRun(syncId, runId, tables.display(LOCKS)));
    return resumeOrFail(held, syncId, runId);
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
          tables.display(LOCKS));
    }
    return toLock(row, resumed);
  }

  /**
   * The sync's rows as the run claimed them. A run holding the lock is the only writer of its
   * sync's rows, so the table's latest version holds them as they were at the claim, whatever other
   * syncs wrote since; only a resumed run, whose earlier attempt may have written them, reads the
   * version it claimed at (time travel, which replays the log to that version).
   */
  @Override
  public Dataset<Row> previousSnapshot(RunLock lock) {
    Dataset<Row> snapshot =
        lock.resumed()
            ? sql(
                DeltaStatements.syncAsOf(
                    tables.sqlName("snapshot"), lock.baseVersion(), lock.syncId()))
            : read("snapshot").where(col(SYNC_ID).equalTo(lock.syncId()));
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
        () -> replace(planRows, LogTables.PLANS, SparkSql.eq(SYNC_ID, lock.syncId())));
    write(
        LOCKS,
        lock,
        () ->
            sql(
                DeltaStatements.markPlanned(
                    tables.sqlName(LOCKS),
                    lock.syncId(),
                    lock.runId(),
                    RunLock.PLANNED,
                    modelSchema)));
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
      write("changelog", lock, () -> writeChangelog(lock, output));
    }
    hook.at(AFTER_CHANGELOG);
    Dataset<Row> changes =
        output.snapshotChanges() == null
            ? null
            : output.snapshotChanges().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      SnapshotWrite.Decision decision = snapshotWrite(lock, output, changes);
      LOG.info(
          "sync '{}' run '{}': snapshot written {} ({})",
          lock.syncId(),
          lock.runId(),
          switch (decision.method()) {
            case WHOLE -> "whole";
            case MERGE -> "by changes (MERGE)";
            case COMMIT -> "by changes (deletion vectors)";
          },
          decision.reason());
      write("snapshot", lock, () -> writeSnapshot(lock, output, changes, decision));
    } finally {
      if (changes != null) {
        changes.unpersist();
      }
    }
    hook.at(AFTER_SNAPSHOT);
    Dataset<Row> run =
        spark.createDataFrame(List.of(LogTables.runRow(output.run())), LogTables.runsSchema());
    write(
        "runs",
        lock,
        () -> replace(run, "runs", DeltaStatements.runPredicate(lock.syncId(), lock.runId())));
    hook.at(AFTER_RUNS);
  }

  private void writeSnapshot(
      RunLock lock, RunOutput output, Dataset<Row> changes, SnapshotWrite.Decision decision) {
    String appId = SnapshotChangesCommit.appId(lock.syncId(), lock.runId());
    switch (decision.method()) {
      case WHOLE ->
          tables.write(
              output
                  .snapshot()
                  .write()
                  .format("delta")
                  .mode("overwrite")
                  .option("replaceWhere", SparkSql.eq(SYNC_ID, lock.syncId()))
                  .option("mergeSchema", "true")
                  .option("txnAppId", appId)
                  .option("txnVersion", 0L),
              "snapshot");
      case MERGE -> mergeSnapshot(lock, changes, decision.broadcastChanges());
      case COMMIT ->
          SnapshotChangesCommit.apply(
                  spark,
                  byLog("snapshot").orElseThrow(),
                  lock.syncId(),
                  lock.runId(),
                  changes,
                  decision.broadcastChanges())
              .ifPresentOrElse(
                  r ->
                      LOG.info(
                          "sync '{}' run '{}': snapshot version {}: {} rows marked deleted in {}"
                              + " files, {} rows appended",
                          lock.syncId(),
                          lock.runId(),
                          r.version(),
                          r.deletedRows(),
                          r.touchedFiles(),
                          r.appendedRows()),
                  () ->
                      LOG.info(
                          "sync '{}' run '{}': snapshot already written by an earlier attempt",
                          lock.syncId(),
                          lock.runId()));
    }
  }

  private SnapshotWrite.Decision snapshotWrite(
      RunLock lock, RunOutput output, Dataset<Row> changes) {
    if (!features.deletionVectors()) {
      return new SnapshotWrite.Decision("target.deletion-vectors is off for these tables");
    }
    Optional<String> location = byLog("snapshot");
    SnapshotWrite.Method method =
        location.isPresent() ? SnapshotWrite.Method.COMMIT : SnapshotWrite.Method.MERGE;
    if (changes == null) {
      return SnapshotWrite.decide(
          method, false, Optional.empty(), List.of(), 0, snapshotRewriteRuns, () -> null);
    }
    Optional<String> unusable;
    if (location.isPresent()) {
      unusable = SnapshotChangesCommit.usable(spark, location.get());
    } else {
      Row detail = sql(DeltaStatements.detail(tables.sqlName("snapshot"))).head();
      Map<String, String> properties = detail.getJavaMap(detail.fieldIndex("properties"));
      unusable =
          "true".equalsIgnoreCase(properties.get(DeltaFeatures.DELETION_VECTORS))
              ? Optional.empty()
              : Optional.of("the table has no deletion vectors");
    }
    return SnapshotWrite.decide(
        method,
        true,
        unusable,
        SnapshotWrite.missingColumns(changes.schema(), read("snapshot").schema()),
        read("runs").where(col(SYNC_ID).equalTo(lock.syncId())).count(),
        snapshotRewriteRuns,
        () ->
            location.isPresent()
                ? commitSizes(lock, location.get(), changes)
                : snapshotSizes(lock, output));
  }

  /** From the Delta log's statistics, and the count of the (persisted) changes. */
  private SnapshotWrite.Sizes commitSizes(RunLock lock, String location, Dataset<Row> changes) {
    SnapshotChangesCommit.Stats stats = SnapshotChangesCommit.stats(spark, location, lock.syncId());
    return new SnapshotWrite.Sizes(stats.liveRows(), changes.count(), stats.deletedRows());
  }

  /**
   * One pass over the previous snapshot's op_type column: its rows, and those the previous run
   * planned (they become unchanged now) plus this run's planned rows.
   */
  private SnapshotWrite.Sizes snapshotSizes(RunLock lock, RunOutput output) {
    Row sizes =
        previousSnapshot(lock)
            .agg(
                functions.count(lit(1)),
                functions.count(
                    functions.when(
                        col(io.synclog.plan.Columns.OP_TYPE)
                            .notEqual(io.synclog.plan.Columns.UNCHANGED),
                        lit(1))))
            .head();
    return new SnapshotWrite.Sizes(
        sizes.getLong(0), sizes.getLong(1) + output.run().counts().totalPlanned());
  }

  /** Applies the run's snapshot changes in one MERGE (see {@link SnapshotWrite}). */
  private void mergeSnapshot(RunLock lock, Dataset<Row> changes, boolean broadcast) {
    String view =
        "synclog_snapshot_changes_" + java.util.UUID.randomUUID().toString().replace("-", "");
    changes.createOrReplaceTempView(view);
    try {
      List<String> columns =
          java.util.Arrays.stream(changes.schema().fieldNames())
              .filter(c -> !c.equals(io.synclog.status.StatusMerge.SNAPSHOT_CHANGE))
              .toList();
      sql(SnapshotWrite.merge(tables.sqlName("snapshot"), view, lock.syncId(), columns, broadcast));
    } finally {
      spark.catalog().dropTempView(view);
    }
  }

  /**
   * The run's changelog rows, as one commit that Delta applies once per run ({@code txnAppId}): a
   * retry of a commit that did land is skipped. A run claimed afresh appends, touching no other
   * run's files; a run that may have written before (resumed, or recording a stored plan) replaces
   * its own rows, which also holds after the table forgot the run's transaction id ({@link
   * DeltaFeatures#TXN_RETENTION}).
   */
  private void writeChangelog(RunLock lock, RunOutput output) {
    DataFrameWriter<Row> writer =
        output
            .changelog()
            .write()
            .format("delta")
            .option("txnAppId", "synclog:" + lock.syncId() + ":" + lock.runId())
            .option("txnVersion", 0L)
            .option("mergeSchema", "true");
    if (lock.resumed() || lock.planned()) {
      writer =
          writer
              .mode("overwrite")
              .option(
                  "replaceWhere",
                  DeltaStatements.changelogRun(output.runDate(), lock.syncId(), lock.runId()));
    } else {
      writer = writer.mode("append");
    }
    tables.write(writer, "changelog");
  }

  private void replace(Dataset<Row> rows, String logical, String where) {
    tables.write(
        rows.write()
            .format("delta")
            .mode("overwrite")
            .option("replaceWhere", where)
            .option("mergeSchema", "true"),
        logical);
  }

  private void write(String logical, RunLock lock, Runnable step) {
    try {
      Retry.onConflict("write " + tables.display(logical), step);
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      throw Errors.writeFailed(lock.syncId(), lock.runId(), tables.display(logical), e);
    }
  }

  @Override
  public void release(RunLock lock) {
    if (lock.planned()) {
      write(
          LogTables.PLANS,
          lock,
          () ->
              sql(
                  DeltaStatements.delete(
                      tables.sqlName(LogTables.PLANS), SparkSql.eq(SYNC_ID, lock.syncId()))));
    }
    write(
        LOCKS,
        lock,
        () ->
            sql(
                DeltaStatements.delete(
                    tables.sqlName(LOCKS),
                    DeltaStatements.runPredicate(lock.syncId(), lock.runId()))));
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
      String where = DeltaStatements.changelogBefore(cutoff);
      changelogRows = read("changelog").where(where).count();
      Retry.onConflict(
          "prune " + tables.display("changelog"),
          () -> sql(DeltaStatements.delete(tables.sqlName("changelog"), where)));
    }
    Supplier<Dataset<Row>> stale =
        () ->
            read("runs")
                .withColumn(
                    "newest",
                    functions
                        .row_number()
                        .over(
                            Window.partitionBy(SYNC_ID)
                                .orderBy(col("started_at").desc(), col("recorded_at").desc())))
                .where(col("newest").gt(1).and(col("started_at").lt(lit(Timestamp.from(cutoff)))))
                .select(SYNC_ID, SYNC_RUN_ID);
    long runRows = stale.get().count();
    Retry.onConflict(
        "prune " + tables.display("runs"),
        () -> sql(DeltaStatements.pruneRuns(tables.sqlName("runs"), cutoff)));
    return new PruneResult(changelogRows, runRows);
  }
}
