package io.synclog.job;

import static io.synclog.plan.Columns.FAILED;

import io.synclog.config.ConfigKeys;
import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import io.synclog.log.LogTables;
import io.synclog.log.RunCounts;
import io.synclog.log.RunRecord;
import io.synclog.plan.Planner;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import io.synclog.sink.Sinks;
import io.synclog.source.ModelSource;
import io.synclog.source.StatusSource;
import io.synclog.sql.Pinned;
import io.synclog.status.StatusCheck;
import io.synclog.status.StatusMerge;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code record}: logs one run of one sync. Reads the inputs, claims the sync, diffs (or takes the
 * stored plan), merges the statuses, writes the three tables, releases the sync.
 */
public final class RecordJob {
  private final SparkSession spark;
  private final SyncConfig config;
  private final LogSink sink;
  private final FaultHook hook;
  private Progress progress = Progress.NONE;

  public RecordJob(SparkSession spark, SyncConfig config, LogSink sink, FaultHook hook) {
    this.spark = spark;
    this.config = config;
    this.sink = sink;
    this.hook = hook;
  }

  /** Reports each stage to {@code progress} as well as to the log. */
  public RecordJob reportingTo(Progress progress) {
    this.progress = progress;
    return this;
  }

  public RunSummary run() {
    long start = System.nanoTime();
    String label = "sync '" + config.syncId() + "' run '" + config.runId() + "'";
    StageClock clock = new StageClock(spark, label).reportingTo(progress);
    Dataset<Row> model =
        clock.time("read inputs", () -> ModelSource.read(spark, config, Sinks.modelReader(config)));
    Dataset<Row> statuses = StatusSource.read(spark, config);
    clock.time("prepare tables", sink::prepare);

    Optional<RunRecord> recorded =
        clock.time("check run", () -> sink.recordedRun(config.syncRun()));
    if (recorded.isPresent()) {
      sink.heldLock(config.syncId())
          .filter(lock -> lock.runId().equals(config.runId()))
          .ifPresent(sink::release);
      RunRecord r = recorded.get();
      return new RunSummary(
          config.syncId(),
          config.runId(),
          RunSummary.ALREADY_RECORDED,
          r.counts(),
          r.rejectedRows(),
          r.toleratedStatusProblems(),
          List.of(),
          clock.stages(),
          seconds(start));
    }

    Instant startedAt = config.runStartedAt().orElse(Instant.now());
    Claim<Checked> claim =
        Claim.checkThenClaim(
            sink,
            config.syncRun(),
            startedAt,
            clock,
            hook,
            unclaimed -> check(unclaimed, model, statuses, clock));
    RunLock lock = claim.lock();

    RunSummary summary;
    try (Checked checked = claim.checked().orElseGet(() -> check(lock, model, statuses, clock))) {
      summary = record(lock, checked, statuses, clock);
    } catch (Exception e) {
      releaseIfUntouched(lock);
      throw e;
    }
    return new RunSummary(
        summary.syncId(),
        summary.runId(),
        summary.outcome(),
        summary.counts(),
        summary.rejectedRows(),
        summary.toleratedStatusProblems(),
        summary.topFailureReasons(),
        clock.stages(),
        seconds(start));
  }

  /** The run's plan, with its keys and statuses checked; refuses the run on a problem. */
  private Checked check(RunLock lock, Dataset<Row> model, Dataset<Row> statuses, StageClock clock) {
    RunPlan runPlan = RunPlan.obtain(config, sink, lock, model, clock);
    try {
      Dataset<Row> keys = runPlan.keys();
      Planning.Size size = runPlan.size();
      Planning.checkKeys(config, keys, () -> runPlan.complete(size));
      StatusCheck.Problems problems =
          clock.time("check statuses", () -> checkStatuses(statuses, keys));
      return new Checked(runPlan, size, problems);
    } catch (RuntimeException e) {
      runPlan.close();
      throw e;
    }
  }

  /** A checked plan: the run's plan, its size and the statuses' problems. */
  private record Checked(RunPlan runPlan, Planning.Size size, StatusCheck.Problems problems)
      implements Claim.Work {
    @Override
    public void close() {
      runPlan.close();
    }
  }

  /**
   * A run that fails before it wrote anything (bad statuses, key problems) gives the sync back, so
   * the next run is not blocked. A resumed or planned run keeps it: its rerun must finish the job.
   */
  private void releaseIfUntouched(RunLock lock) {
    if (!lock.resumed() && !lock.planned() && !committing) {
      sink.release(lock);
    }
  }

  private boolean committing;

  private RunSummary record(
      RunLock lock, Checked checked, Dataset<Row> statuses, StageClock clock) {
    RunPlan runPlan = checked.runPlan();
    Dataset<Row> complete =
        clock.time(
            "fetch fields",
            () -> {
              Dataset<Row> fetched = runPlan.completeCached(checked.size());
              fetched.count();
              return fetched;
            });
    StatusMerge.Merged merged =
        StatusMerge.merge(
            complete,
            statuses,
            runPlan.base(),
            config.runId(),
            checked.size().rows(),
            runPlan.unplanned());
    return commit(lock, runPlan, merged, checked.problems(), clock);
  }

  /** Counts the merged run, writes the three tables and releases the sync. */
  private RunSummary commit(
      RunLock lock,
      RunPlan runPlan,
      StatusMerge.Merged merged,
      StatusCheck.Problems problems,
      StageClock clock) {
    AtomicReference<Dataset<Row>> pinned = new AtomicReference<>();
    try {
      long[] rejectedRows = new long[1];
      // pinning the changelog runs the status merge's shuffles: they count as this stage's
      RunCounts counts =
          clock.time(
              "count",
              () -> {
                pinned.set(Pinned.pin(merged.changelog()));
                return RunTally.count(pinned.get(), rejectedRows);
              });
      Dataset<Row> changelog = pinned.get();
      long rejected = rejectedRows[0];
      List<Map.Entry<String, Long>> reasons =
          counts.totalFailed() == 0 ? List.of() : RunTally.topReasons(changelog);
      RunRecord run = runRecord(lock, counts, rejected, problems.total(), runPlan.modelSchema());
      LocalDate runDate = LocalDate.ofInstant(lock.startedAt(), ZoneOffset.UTC);
      RunOutput output =
          new RunOutput(
              LogTables.changelogRows(changelog, config.syncRun(), runDate, config.usesSplits()),
              LogTables.snapshotRows(merged.snapshot(), config.syncId(), config.usesSplits()),
              run,
              runDate,
              runPlan.jsonHashes()
                  ? null
                  : LogTables.snapshotChangeRows(
                      merged.snapshotChanges(), config.syncId(), config.usesSplits()));
      committing = true;
      clock.time("write tables", () -> sink.commit(lock, output, hook));
      clock.time("release sync", () -> sink.release(lock));
      return new RunSummary(
          config.syncId(),
          config.runId(),
          lock.resumed()
              ? RunSummary.RECORDED + " (resumed an interrupted attempt)"
              : RunSummary.RECORDED,
          counts,
          rejected,
          problems.total(),
          reasons,
          List.of(),
          0);
    } finally {
      Pinned.release(pinned.get());
    }
  }

  private RunRecord runRecord(
      RunLock lock, RunCounts counts, long rejected, long tolerated, String modelSchema) {
    return new RunRecord(
        config.syncId(),
        config.runId(),
        config.primaryKey(),
        config.destination(),
        config.modelName(),
        config.modelId(),
        runStatus(),
        config.optional(ConfigKeys.RUN_ERROR).orElse(null),
        lock.startedAt(),
        config.runFinishedAt().orElse(Instant.now()),
        counts,
        rejected,
        tolerated,
        modelSchema,
        Instant.now());
  }

  private StatusCheck.Problems checkStatuses(Dataset<Row> statuses, Dataset<Row> plan) {
    StatusCheck.Problems problems;
    try {
      problems = StatusCheck.check(statuses, Planner.sendable(plan));
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      throw Errors.malformedStatuses(
          config.syncRun(), StatusSource.spec(config).describe(), firstLine(e));
    }
    if (problems.any() && !config.tolerateBadStatuses()) {
      throw Errors.invalidStatuses(
          config.syncRun(), StatusSource.spec(config).describe(), problems.describe());
    }
    return problems;
  }

  private static String firstLine(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private String runStatus() {
    return config
        .optional(ConfigKeys.RUN_STATUS)
        .orElse(config.optional(ConfigKeys.RUN_ERROR).isPresent() ? FAILED : "succeeded");
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
