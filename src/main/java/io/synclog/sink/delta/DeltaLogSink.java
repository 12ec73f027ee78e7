package io.synclog.sink.delta;

import io.synclog.error.Errors;
import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.PruneResult;
import io.synclog.sink.PruneScope;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import io.synclog.sink.SchemaViews;
import io.synclog.sink.delta.log.TransactionLog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
 * DeltaStatements}), never Delta's Scala table API, so it runs on Spark Connect sessions as well;
 * on open-source Delta Lake, tables by path also use their transaction log directly ({@link
 * TransactionLog}).
 *
 * <p>This class orders the steps; each table's part is its own class: {@link DeltaTableSetup},
 * {@link DeltaLocks}, {@link DeltaPlans}, {@link DeltaSnapshots} and {@link DeltaRunLog}.
 */
public final class DeltaLogSink implements LogSink, SchemaViews.Source {
  private final DeltaSession session;
  private final DeltaTables tables;
  private final DeltaTableSetup setup;
  private final DeltaLocks locks;
  private final DeltaPlans plans;
  private final DeltaSnapshots snapshots;
  private final DeltaRunLog runLog;
  private final boolean writeChangelog;
  private final DeltaViews views;

  private DeltaLogSink(
      DeltaSession session,
      DeltaFeatures features,
      boolean writeChangelog,
      int snapshotRewriteRuns) {
    this.session = session;
    this.tables = session.tables();
    this.setup = new DeltaTableSetup(session, features, writeChangelog);
    this.locks = new DeltaLocks(session);
    this.plans = new DeltaPlans(session);
    this.runLog = new DeltaRunLog(session, writeChangelog);
    this.snapshots = new DeltaSnapshots(session, features, runLog, snapshotRewriteRuns);
    this.writeChangelog = writeChangelog;
    this.views = new DeltaViews(session);
  }

  /**
   * The sink named by {@code target.kind=delta} or {@code databricks}.
   *
   * @param physical the physical name of each logical table (changelog, snapshot, runs)
   * @param writeChangelog whether the changelog is enabled
   */
  public static DeltaLogSink open(
      SparkSession spark,
      DeltaSettings settings,
      Map<String, String> physical,
      boolean writeChangelog) {
    DeltaTables tables = tables(spark, settings, physical);
    Optional<TransactionLog> log = TransactionLog.open(spark);
    return new DeltaLogSink(
        new DeltaSession(spark, tables, log),
        settings.features(log.isPresent()),
        writeChangelog,
        settings.snapshotRewriteRuns());
  }

  private static DeltaTables tables(
      SparkSession spark, DeltaSettings settings, Map<String, String> physical) {
    if (!settings.byName()) {
      return new PathTables(spark, settings.location(), settings.schema(), physical);
    }
    List<String> problems = CatalogNames.problems(settings.catalog());
    if (!problems.isEmpty()) {
      throw Errors.targetSettings("databricks", problems);
    }
    return new CatalogTables(
        spark, new CatalogNames(settings.catalog(), settings.schema(), physical));
  }

  @Override
  public String describe() {
    return tables.describe();
  }

  @Override
  public String tableName(String logical) {
    return tables.display(logical);
  }

  @Override
  public void prepare() {
    setup.prepare();
  }

  /** Views over these tables in another schema of their catalog ({@link DeltaViews}). */
  @Override
  public SchemaViews views() {
    return views;
  }

  @Override
  public Optional<RunRecord> recordedRun(SyncRun run) {
    return runLog.recorded(run);
  }

  @Override
  public Optional<String> lastModelSchema(String syncId) {
    return runLog.lastModelSchema(syncId);
  }

  /** The versions of the snapshot and runs tables: every run's commit moves one of them. */
  @Override
  public String commitMark(String syncId) {
    return session.version("snapshot") + "/" + session.version("runs");
  }

  @Override
  public RunLock acquire(SyncRun run, Instant startedAt) {
    return locks.acquire(run, startedAt);
  }

  @Override
  public Dataset<Row> previousSnapshot(RunLock lock) {
    return snapshots.previous(lock);
  }

  @Override
  public RunLock storePlan(RunLock lock, Dataset<Row> planRows, String modelSchema) {
    plans.store(lock, planRows);
    locks.markPlanned(lock, modelSchema);
    return lock.withPlan(modelSchema);
  }

  @Override
  public Optional<Dataset<Row>> storedPlan(RunLock lock) {
    return plans.stored(lock);
  }

  @Override
  public void commit(RunLock lock, RunOutput output, FaultHook hook) {
    if (writeChangelog) {
      runLog.writeChangelog(lock, output);
    }
    hook.at(AFTER_CHANGELOG);
    snapshots.write(lock, output);
    hook.at(AFTER_SNAPSHOT);
    runLog.writeRun(lock, output);
    hook.at(AFTER_RUNS);
  }

  @Override
  public void release(RunLock lock) {
    if (lock.planned()) {
      plans.drop(lock);
    }
    locks.release(lock);
  }

  @Override
  public Optional<RunLock> heldLock(String syncId) {
    return locks.held(syncId);
  }

  @Override
  public PruneResult prune(Instant cutoff, PruneScope scope) {
    return runLog.prune(cutoff, scope);
  }
}
