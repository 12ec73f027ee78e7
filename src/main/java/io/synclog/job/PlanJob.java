package io.synclog.job;

import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.REJECTED_REASON;
import static org.apache.spark.sql.functions.col;

import io.synclog.config.SyncConfig;
import io.synclog.log.LogTables;
import io.synclog.log.RunCounts;
import io.synclog.plan.Planner;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.RunLock;
import io.synclog.sink.Sinks;
import io.synclog.source.ModelSource;
import io.synclog.sql.Pinned;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code plan}: diffs the model against the sync's snapshot and stores the result in {@code
 * sync_plans} for the sync engine to read. The sync stays claimed by the run until {@code record}
 * logs it, so the plan cannot go stale.
 */
public final class PlanJob {
  private final SparkSession spark;
  private final SyncConfig config;
  private final LogSink sink;
  private final FaultHook hook;
  private Progress progress = Progress.NONE;

  public PlanJob(SparkSession spark, SyncConfig config, LogSink sink, FaultHook hook) {
    this.spark = spark;
    this.config = config;
    this.sink = sink;
    this.hook = hook;
  }

  /** Reports each stage to {@code progress} as well as to the log. */
  public PlanJob reportingTo(Progress progress) {
    this.progress = progress;
    return this;
  }

  public RunSummary run() {
    long start = System.nanoTime();
    StageClock clock =
        new StageClock(spark, "sync '" + config.syncId() + "' run '" + config.runId() + "' plan")
            .reportingTo(progress);
    Dataset<Row> model =
        clock.time("read inputs", () -> ModelSource.read(spark, config, Sinks.modelReader(config)));
    clock.time("prepare tables", sink::prepare);
    if (sink.recordedRun(config.syncRun()).isPresent()) {
      return summary(RunSummary.ALREADY_RECORDED, null, clock, start);
    }
    Instant startedAt = config.runStartedAt().orElse(Instant.now());
    String schema = ModelSource.schemaOf(model.schema());
    Claim<Diffed> claim =
        Claim.checkThenClaim(
            sink,
            config.syncRun(),
            startedAt,
            clock,
            hook,
            unclaimed -> diff(unclaimed, model, schema, clock));
    RunLock lock = claim.lock();
    if (lock.planned()) {
      Dataset<Row> stored = sink.storedPlan(lock).orElseThrow();
      return summary(RunSummary.ALREADY_PLANNED, counts(stored), clock, start);
    }
    RunLock planned;
    try (Diffed diffed = claim.checked().orElseGet(() -> diff(lock, model, schema, clock))) {
      planned =
          clock.time(
              "store plan",
              () ->
                  sink.storePlan(
                      lock, LogTables.planRows(diffed.plan(), config.syncRun()), schema));
    }
    hook.at(LogSink.AFTER_PLAN);
    return summary(
        RunSummary.PLANNED, counts(sink.storedPlan(planned).orElseThrow()), clock, start);
  }

  /**
   * The model diffed against the sync's snapshot as {@code lock} sees it; schema and keys checked.
   */
  private Diffed diff(RunLock lock, Dataset<Row> model, String schema, StageClock clock) {
    clock.time("check schema", () -> Planning.checkSchema(config, sink, schema));
    Dataset<Row> previous = sink.previousSnapshot(lock);
    boolean jsonHashes = clock.time("check hashes", () -> Planning.holdsJsonHashes(previous));
    Dataset<Row> prepared = Planning.prepare(config, model, jsonHashes);
    Dataset<Row> keyPlan =
        Pinned.pin(Planner.planned(Planner.keyPlan(prepared, previous, config.primaryKey())));
    try {
      Planning.Size size = clock.time("diff", () -> Planning.size(keyPlan));
      Dataset<Row> plan = Planning.complete(keyPlan, prepared, previous, size);
      Planning.checkKeys(config, keyPlan, () -> plan);
      return new Diffed(keyPlan, plan);
    } catch (RuntimeException e) {
      Pinned.release(keyPlan);
      throw e;
    }
  }

  /** A diffed plan; holds the cached key plan until closed. */
  private record Diffed(Dataset<Row> keyPlan, Dataset<Row> plan) implements Claim.Work {
    @Override
    public void close() {
      Pinned.release(keyPlan);
    }
  }

  /** Planned counts: every planned row counts as not yet attempted. */
  private static RunCounts counts(Dataset<Row> plan) {
    List<RunCounts.Cell> cells =
        plan.where(col(REJECTED_REASON).isNull()).groupBy(OP_TYPE).count().collectAsList().stream()
            .map(r -> new RunCounts.Cell(r.getString(0), "aborted", r.getLong(1)))
            .toList();
    return RunCounts.of(cells);
  }

  private RunSummary summary(String outcome, RunCounts counts, StageClock clock, long start) {
    return new RunSummary(
        config.syncId(),
        config.runId(),
        outcome,
        counts,
        0,
        0,
        List.of(),
        clock.stages(),
        (System.nanoTime() - start) / 1e9);
  }
}
