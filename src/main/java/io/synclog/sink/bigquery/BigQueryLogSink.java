package io.synclog.sink.bigquery;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.SPLIT_GROUP;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.synclog.error.Errors;
import io.synclog.log.LogTables;
import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.PruneResult;
import io.synclog.sink.PruneScope;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import io.synclog.sink.bigquery.BqConnector.FieldsText;
import io.synclog.sink.warehouse.WarehouseCalls;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The three tables (and the plan and lock tables) in a BigQuery dataset.
 *
 * <p>A commit is stage, then swap. The spark-bigquery-connector loads the run's changelog and
 * snapshot rows into per-run staging tables (indirect: Avro files and a load job; direct: the
 * Storage Write API); then ONE script runs a multi-statement transaction: the lock check, the run's
 * changelog rows deleted and inserted from staging, the sync's snapshot replaced by one {@code
 * MERGE ... ON FALSE}, the runs row upserted (see {@link BqSql}). Readers see the run entirely or
 * not at all; a crash at any point leaves the previous state, and a rerun repeats the whole commit.
 * The staging tables are dropped however the commit ends, and expire after a day in case the job is
 * killed first.
 *
 * <p>BigQuery has no row locks: see {@link BqLocks} for how a run claims its sync. Names, DDL and
 * errors are the shared warehouse layer's ({@link BqNames}, {@link BigQueryDialect}, {@link
 * WarehouseCalls}).
 */
public final class BigQueryLogSink implements LogSink {
  private static final String HINT =
      "Check target.project, target.schema and the credentials (target.auth), and that the"
          + " account may run jobs in target.parent-project and create tables in the dataset.";

  private final SparkSession spark;
  private final BigQuerySettings settings;
  private final BqNames names;
  private final BqRest rest;
  private final WarehouseCalls calls;
  private final BqLocks locks;
  private final boolean writeChangelog;

  BigQueryLogSink(
      SparkSession spark,
      BigQuerySettings settings,
      Map<String, String> physical,
      boolean writeChangelog,
      BqRest rest) {
    this.spark = spark;
    this.settings = settings;
    this.names = new BqNames(settings.project(), settings.dataset(), physical);
    this.rest = rest;
    this.calls = WarehouseCalls.of(names, settings.describe(), HINT, e -> scrubbed(settings, e));
    this.locks = new BqLocks(names, rest, calls);
    this.writeChangelog = writeChangelog;
  }

  /** The sink named by {@code target.kind=bigquery} and the target.* keys. */
  public static BigQueryLogSink open(
      SparkSession spark,
      BigQuerySettings s,
      Map<String, String> physical,
      boolean writeChangelog) {
    BqRest rest = new BqRest(s.restEndpoint(), s.parentProject(), BqAuth.of(s, System.getenv()));
    return new BigQueryLogSink(spark, s, physical, writeChangelog, rest);
  }

  @Override
  public String describe() {
    return "BigQuery dataset " + settings.describe();
  }

  @Override
  public String tableName(String logical) {
    return names.display(logical);
  }

  // ---- tables ------------------------------------------------------------------------------

  @Override
  public void prepare() {
    calls.writing(
        "tables",
        null,
        () -> rest.query(String.join(";\n", BqDdl.statements(names, writeChangelog)), List.of()));
  }

  private void addSplitGroupIfMissing(String logical, StructType rows) throws Exception {
    if (Arrays.asList(rows.fieldNames()).contains(SPLIT_GROUP)
        && !columns(logical).contains(SPLIT_GROUP)) {
      rest.query(BqDdl.addSplitGroup(names, logical), List.of());
    }
  }

  private List<String> columns(String logical) throws Exception {
    return rest.columns(names.project(), names.dataset(), names.table(logical)).orElse(List.of());
  }

  // ---- runs --------------------------------------------------------------------------------

  @Override
  public Optional<RunRecord> recordedRun(SyncRun run) {
    BqRest.Result r = calls.reading("runs", () -> rest.query(BqSql.recordedRun(names), ids(run)));
    return r.rows().stream()
        .findFirst()
        .map(row -> LogTables.runRecord(BqValues.row(row, LogTables.runsSchema())));
  }

  @Override
  public Optional<String> lastModelSchema(String syncId) {
    BqRest.Result r =
        calls.reading("runs", () -> rest.query(BqSql.lastModelSchema(names), ids(syncId)));
    return r.rows().stream().findFirst().map(row -> row.get(0));
  }

  @Override
  public String commitMark(String syncId) {
    BqRest.Result r = calls.reading("runs", () -> rest.query(BqSql.commitMark(names), ids(syncId)));
    return r.rows().get(0).get(0) + "/" + r.rows().get(0).get(1);
  }

  // ---- locks and plans ---------------------------------------------------------------------

  @Override
  public RunLock acquire(SyncRun run, Instant startedAt) {
    return locks.acquire(run, startedAt);
  }

  @Override
  public Optional<RunLock> heldLock(String syncId) {
    return locks.held(syncId);
  }

  @Override
  public void release(RunLock lock) {
    locks.release(lock);
  }

  @Override
  public Dataset<Row> previousSnapshot(RunLock lock) {
    boolean splits =
        calls.reading("snapshot", () -> columns("snapshot").contains(SPLIT_GROUP)).booleanValue();
    List<Column> select = new ArrayList<>();
    for (StructField f : LogTables.snapshotSchema(true).fields()) {
      if (f.name().equals(FIELDS)) {
        select.add(col(BqDdl.FIELDS_TEXT).as(FIELDS));
      } else if (f.name().equals(SPLIT_GROUP) && !splits) {
        select.add(lit(null).cast(f.dataType()).as(SPLIT_GROUP));
      } else {
        select.add(col(f.name()).cast(f.dataType()).as(f.name()));
      }
    }
    return calls.reading(
        "snapshot",
        () ->
            BqConnector.load(
                    spark,
                    BqConnector.read(
                        settings, names.display("snapshot"), BqSql.syncFilter(lock.syncId())))
                .select(select.toArray(new Column[0])));
  }

  @Override
  public RunLock storePlan(RunLock lock, Dataset<Row> planRows, String modelSchema) {
    calls.writing(
        BqNames.PLANS,
        lock,
        () -> {
          try (BqStaging staging = new BqStaging(settings, names, rest, lock)) {
            // plans keep fields as text, exactly as planned: no JSON column here
            String staged = staging.load(BqNames.PLANS, planRows);
            List<BqParam> params = ids(lock.run());
            params.add(BqParam.string("model_schema", modelSchema));
            return run(
                BqSql.transaction(
                    staging.expirations(), BqSql.planBody(names, staged, planRows.schema())),
                params);
          }
        });
    return lock.withPlan(modelSchema);
  }

  @Override
  public Optional<Dataset<Row>> storedPlan(RunLock lock) {
    if (!lock.planned()) {
      return Optional.empty();
    }
    List<Column> select = new ArrayList<>();
    for (StructField f : LogTables.planSchema().fields()) {
      select.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return Optional.of(
        calls.reading(
            BqNames.PLANS,
            () ->
                BqConnector.load(
                        spark,
                        BqConnector.read(
                            settings, names.display(BqNames.PLANS), BqSql.runFilter(lock.run())))
                    .select(select.toArray(new Column[0]))));
  }

  // ---- commit ------------------------------------------------------------------------------

  @Override
  public void commit(RunLock lock, RunOutput output, FaultHook hook) {
    calls.writing("snapshot", lock, () -> stageAndSwap(lock, output, hook));
    hook.at(AFTER_RUNS);
  }

  /** Stages the run's rows, then swaps them in with one transaction script. */
  private BqRest.Result stageAndSwap(RunLock lock, RunOutput output, FaultHook hook)
      throws Exception {
    try (BqStaging staging = new BqStaging(settings, names, rest, lock)) {
      String changelog = null;
      if (writeChangelog) {
        addSplitGroupIfMissing("changelog", output.changelog().schema());
        changelog =
            staging.load("changelog", BqConnector.staged(output.changelog(), FieldsText.DROP));
      }
      hook.at(AFTER_CHANGELOG);
      addSplitGroupIfMissing("snapshot", output.snapshot().schema());
      String snapshot =
          staging.load("snapshot", BqConnector.staged(output.snapshot(), FieldsText.KEEP));
      hook.at(AFTER_SNAPSHOT);
      String script =
          BqSql.transaction(
              staging.expirations(),
              BqSql.commitBody(
                  names,
                  changelog,
                  output.changelog().schema(),
                  snapshot,
                  output.snapshot().schema()));
      return run(script, commitParams(lock, output));
    }
  }

  /** The commit script's parameters: the ids, the run's date and every runs column. */
  static List<BqParam> commitParams(RunLock lock, RunOutput output) {
    List<BqParam> p = ids(lock.run());
    p.add(new BqParam("run_date", "DATE", output.runDate().toString()));
    p.addAll(BqValues.params("r_", LogTables.runRow(output.run()), LogTables.runsSchema()));
    return p;
  }

  /** Runs a transaction script ({@link BqRest#transaction}); a lost lock fails the run. */
  BqRest.Result run(String script, List<BqParam> params) throws Exception {
    try {
      return rest.transaction(script, params);
    } catch (BqRest.Failure e) {
      if (String.valueOf(e.getMessage()).contains(BqSql.LOCK_LOST)) {
        BqParam sync = params.get(0);
        BqParam run = params.get(1);
        throw Errors.lockLost(new SyncRun(sync.value(), run.value()), names.display(BqNames.LOCKS));
      }
      throw e;
    }
  }

  static List<BqParam> ids(SyncRun run) {
    List<BqParam> p = ids(run.syncId());
    p.add(BqParam.string(BqSql.RUN, run.runId()));
    return p;
  }

  static List<BqParam> ids(String syncId) {
    return new ArrayList<>(List.of(BqParam.string(BqSql.SYNC, syncId)));
  }

  // ---- prune -------------------------------------------------------------------------------

  @Override
  public PruneResult prune(Instant cutoff, PruneScope scope) {
    boolean oneSync = scope.sync().isPresent();
    List<BqParam> sync = oneSync ? ids(scope.syncId()) : List.of();
    return calls.writing(
        "runs",
        null,
        () -> {
          List<BqParam> runsParams = new ArrayList<>(sync);
          runsParams.add(new BqParam("cutoff", "TIMESTAMP", BqValues.timestamp(cutoff)));
          long runRows = rest.query(BqSql.pruneRuns(names, oneSync), runsParams).affectedRows();
          long changelogRows = 0;
          if (writeChangelog) {
            List<BqParam> changelogParams = new ArrayList<>(sync);
            changelogParams.add(
                new BqParam(
                    "cutoff_date", "DATE", LocalDate.ofInstant(cutoff, ZoneOffset.UTC).toString()));
            changelogRows =
                rest.query(BqSql.pruneChangelog(names, oneSync), changelogParams).affectedRows();
          }
          return new PruneResult(changelogRows, runRows);
        });
  }

  // ---- errors ------------------------------------------------------------------------------

  /** The error, or a copy without its cause chain if any message there holds a credential. */
  static Throwable scrubbed(BigQuerySettings settings, Exception e) {
    List<String> secrets = new ArrayList<>();
    if (settings.token() != null) {
      secrets.add(settings.token().reveal());
    }
    if (settings.credentials() != null) {
      secrets.add(settings.credentials().reveal());
      secrets.add(BqConnector.common(settings).get("credentials"));
    }
    return BqValues.scrub(e, secrets);
  }
}
