package io.synclog.sink;

import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where the three tables live. A sink's verbs are what the tables need: claim a sync for one run,
 * read the sync's snapshot as the run saw it, and commit a run so that a rerun of the same run is a
 * no-op or a repair, never a duplicate. The steps a commit takes (stage, load, swap, clean up) stay
 * inside the sink.
 */
public interface LogSink {
  /** Fault boundaries, in the order a commit passes them. */
  String AFTER_LOCK = "after-lock";

  String AFTER_PLAN = "after-plan";
  String AFTER_CHANGELOG = "after-changelog";
  String AFTER_SNAPSHOT = "after-snapshot";
  String AFTER_RUNS = "after-runs";

  /** A readable name of the target, for messages: "Delta tables under ./warehouse/sync_audit". */
  String describe();

  /** Qualified name of one of the three tables, for messages. */
  String tableName(String table);

  /** Creates the tables that do not exist yet. Safe to call on every run. */
  void prepare();

  /** The runs row of this run, if it is already fully recorded. */
  Optional<RunRecord> recordedRun(SyncRun run);

  /** The model schema recorded by the sync's latest run, if any. */
  Optional<String> lastModelSchema(String syncId);

  /**
   * A mark that changes whenever a run of the sync commits. A run checked before it claims the sync
   * takes it before its checks and again after its claim: when the two are equal, the rows it
   * checked against are the rows it now holds.
   */
  String commitMark(String syncId);

  /**
   * Claims the sync for this run, or resumes this run's earlier claim.
   *
   * @throws io.synclog.error.SyncLogException when another run of the sync holds it
   */
  RunLock acquire(SyncRun run, Instant startedAt);

  /** The sync's snapshot as it was when the run claimed the sync. */
  Dataset<Row> previousSnapshot(RunLock lock);

  /** Stores the run's plan (for the sync engine to read) and marks the lock planned. */
  RunLock storePlan(RunLock lock, Dataset<Row> planRows, String modelSchema);

  /** The plan stored for this run. */
  Optional<Dataset<Row>> storedPlan(RunLock lock);

  /** Writes the run: changelog rows, snapshot replacement, runs row. Idempotent per run. */
  void commit(RunLock lock, RunOutput output, FaultHook hook);

  /** Releases the lock and drops the run's stored plan. */
  void release(RunLock lock);

  /** The lock the sync is held by, if any. */
  Optional<RunLock> heldLock(String syncId);

  /**
   * Deletes the history of the scope's syncs older than the cutoff: the runs rows of runs started
   * before it, except each sync's latest run, then the changelog rows dated before the cutoff's UTC
   * day whose run no longer has a runs row. A sync's latest run is so kept whole, its runs row with
   * its changelog rows, however old. The snapshot is never touched.
   */
  PruneResult prune(Instant cutoff, PruneScope scope);
}
