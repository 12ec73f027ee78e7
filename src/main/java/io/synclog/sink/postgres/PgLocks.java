package io.synclog.sink.postgres;

import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;

import io.synclog.error.Errors;
import io.synclog.sink.RunLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The lock table: one row per sync, keyed by sync_id, naming the run that holds it. Claiming is one
 * {@code INSERT ... ON CONFLICT DO NOTHING}, so of two runs of a sync exactly one inserts the row;
 * runs of different syncs touch different rows and never wait for each other.
 */
final class PgLocks {
  private final PgNames names;

  PgLocks(PgNames names) {
    this.names = names;
  }

  /** Claims the sync for the run, or resumes the run's earlier claim. */
  RunLock acquire(Connection c, String syncId, String runId, Instant startedAt)
      throws SQLException {
    int inserted =
        Jdbc.update(
            c,
            "INSERT INTO "
                + names.qualified(PgNames.LOCKS)
                + " (sync_id, sync_run_id, phase, base_version, started_at, claimed_at)"
                + " VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (sync_id) DO NOTHING",
            syncId,
            runId,
            RunLock.RECORDING,
            startedAt,
            Instant.now());
    Optional<RunLock> held = held(c, syncId, inserted == 0);
    if (held.isEmpty()) {
      // the holder released between our insert attempt and the read
      throw Errors.concurrentRun(syncId, runId, names.display(PgNames.LOCKS));
    }
    RunLock lock = held.get();
    if (!lock.runId().equals(runId)) {
      throw Errors.runInProgress(
          syncId,
          runId,
          lock.runId(),
          lock.planned() ? "planned but not recorded yet" : "being recorded, or was interrupted",
          names.display(PgNames.LOCKS));
    }
    return lock;
  }

  Optional<RunLock> held(Connection c, String syncId, boolean resumed) throws SQLException {
    List<Object[]> rows =
        Jdbc.query(
            c,
            "SELECT sync_id, sync_run_id, phase, base_version, started_at, model_schema FROM "
                + names.qualified(PgNames.LOCKS)
                + " WHERE sync_id = ?",
            syncId);
    return rows.stream()
        .findFirst()
        .map(
            r ->
                new RunLock(
                    (String) r[0],
                    (String) r[1],
                    (String) r[2],
                    (Long) r[3],
                    ((Timestamp) r[4]).toInstant(),
                    (String) r[5],
                    resumed));
  }

  /** Inside a commit's transaction: fails unless the run still holds the lock, and pins it. */
  void checkHeld(Connection c, RunLock lock) throws SQLException {
    List<Object[]> rows =
        Jdbc.query(
            c,
            "SELECT 1 FROM "
                + names.qualified(PgNames.LOCKS)
                + " WHERE sync_id = ? AND sync_run_id = ? FOR UPDATE",
            lock.syncId(),
            lock.runId());
    if (rows.isEmpty()) {
      throw Errors.lockLost(lock.syncId(), lock.runId(), names.display(PgNames.LOCKS));
    }
  }

  void markPlanned(Connection c, RunLock lock, String modelSchema) throws SQLException {
    checkHeld(c, lock);
    Jdbc.update(
        c,
        "UPDATE "
            + names.qualified(PgNames.LOCKS)
            + " SET phase = ?, model_schema = ? WHERE "
            + SYNC_ID
            + " = ? AND "
            + SYNC_RUN_ID
            + " = ?",
        RunLock.PLANNED,
        modelSchema,
        lock.syncId(),
        lock.runId());
  }

  void release(Connection c, RunLock lock) throws SQLException {
    Jdbc.update(
        c, "DELETE FROM " + names.qualified(PgNames.PLANS) + " WHERE sync_id = ?", lock.syncId());
    Jdbc.update(
        c,
        "DELETE FROM " + names.qualified(PgNames.LOCKS) + " WHERE sync_id = ? AND sync_run_id = ?",
        lock.syncId(),
        lock.runId());
  }
}
