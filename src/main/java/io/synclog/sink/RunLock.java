package io.synclog.sink;

import java.time.Instant;

/**
 * A sync's claim on recording one run. Only one run of a sync holds it at a time; the holder's
 * reruns resume from it.
 *
 * @param syncId the sync
 * @param runId the run holding the lock
 * @param phase {@code planned} once a plan is stored, else {@code recording}
 * @param baseVersion the snapshot version the run diffs against (sink-specific token)
 * @param startedAt when the run started, fixed at the first attempt so reruns agree
 * @param modelSchema the model's schema when the plan was stored, or null
 * @param resumed whether this attempt resumes an earlier, interrupted one
 */
public record RunLock(
    String syncId,
    String runId,
    String phase,
    long baseVersion,
    Instant startedAt,
    String modelSchema,
    boolean resumed) {

  public static final String PLANNED = "planned";
  public static final String RECORDING = "recording";

  public boolean planned() {
    return PLANNED.equals(phase);
  }

  /** This lock once the run's plan, made from a model of this schema, is stored. */
  public RunLock withPlan(String modelSchema) {
    return new RunLock(syncId, runId, PLANNED, baseVersion, startedAt, modelSchema, resumed);
  }
}
