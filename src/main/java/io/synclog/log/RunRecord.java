package io.synclog.log;

import java.time.Instant;

/**
 * One row of {@code sync_runs}: the reference's columns plus a few extras ({@code
 * num_rejected_rows}, {@code num_tolerated_status_problems}, {@code model_schema}, {@code
 * recorded_at}).
 */
public record RunRecord(
    String syncId,
    String syncRunId,
    String primaryKey,
    String destination,
    String modelName,
    String modelId,
    String status,
    String error,
    Instant startedAt,
    Instant finishedAt,
    RunCounts counts,
    long rejectedRows,
    long toleratedStatusProblems,
    String modelSchema,
    Instant recordedAt) {}
