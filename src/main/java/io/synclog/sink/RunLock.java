package io.synclog.sink;

import io.synclog.log.SyncRun;
import java.time.Instant;

/**
 * A sync's claim on recording one run. Only one run of a sync holds it at a time; the holder's
 * reruns resume from it.
 *
 * @param run the sync and the run holding the lock
 * @param phase {@code planned} once a plan is stored, else {@code recording}
 * @param baseVersion the snapshot version the run diffs against (sink-specific token)
 * @param startedAt when the run started, fixed at the first attempt so reruns agree
 * @param modelSchema the model's schema when the plan was stored, or null
 * @param resumed whether this attempt resumes an earlier, interrupted one
 */
public record RunLock(
    SyncRun run,
    String phase,
    long baseVersion,
    Instant startedAt,
    String modelSchema,
    boolean resumed) {

  public static final String PLANNED = "planned";
  public static final String RECORDING = "recording";

  /** The sync. */
  public String syncId() {
    return run.syncId();
  }

  /** The run holding the lock. */
  public String runId() {
    return run.runId();
  }

  public boolean planned() {
    return PLANNED.equals(phase);
  }

  /** This lock once the run's plan, made from a model of this schema, is stored. */
  public RunLock withPlan(String modelSchema) {
    return new RunLock(run, PLANNED, baseVersion, startedAt, modelSchema, resumed);
  }
}
