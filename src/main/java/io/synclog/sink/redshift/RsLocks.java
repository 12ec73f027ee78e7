package io.synclog.sink.redshift;

import io.synclog.error.Errors;
import io.synclog.sink.RunLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The lock table: one row per sync naming the run that holds it. Redshift enforces no unique keys
 * and has no {@code ON CONFLICT}, so a claim is a short transaction that takes the table's
 * exclusive lock ({@code LOCK}, held until commit), looks for the sync's row and inserts it only
 * when there is none: of two runs of a sync, exactly one inserts.
 */
final class RsLocks {
  private final RsNames names;

  RsLocks(RsNames names) {
    this.names = names;
  }

  static final String COLUMNS =
      "\"sync_id\", \"sync_run_id\", \"phase\", \"base_version\", \"started_at\","
          + " \"model_schema\"";

  /** In a transaction: claims the sync for the run unless some run holds it; returns the holder. */
  RunLock claim(Connection c, String syncId, String runId, Instant startedAt) throws SQLException {
    RsJdbc.execute(c, "LOCK " + names.qualified(RsNames.LOCKS));
    Optional<RunLock> held = held(c, syncId, true);
    if (held.isPresent()) {
      return held.get();
    }
    RsJdbc.update(
        c,
        "INSERT INTO "
            + names.qualified(RsNames.LOCKS)
            + " (\"sync_id\", \"sync_run_id\", \"phase\", \"base_version\", \"started_at\","
            + " \"claimed_at\") VALUES (?, ?, ?, 0, ?, ?)",
        syncId,
        runId,
        RunLock.RECORDING,
        startedAt,
        Instant.now());
    return held(c, syncId, false).orElseThrow();
  }

  /** The claim, or an error naming the run that holds the sync. */
  RunLock mine(RunLock holder, String syncId, String runId) {
    if (!holder.runId().equals(runId)) {
      throw Errors.runInProgress(
          syncId,
          runId,
          holder.runId(),
          holder.planned() ? "planned but not recorded yet" : "being recorded, or was interrupted",
          names.display(RsNames.LOCKS));
    }
    return holder;
  }

  Optional<RunLock> held(Connection c, String syncId, boolean resumed) throws SQLException {
    List<Object[]> rows =
        RsJdbc.query(
            c,
            "SELECT "
                + COLUMNS
                + " FROM "
                + names.qualified(RsNames.LOCKS)
                + " WHERE \"sync_id\" = ?",
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
                    (Instant) r[4],
                    (String) r[5],
                    resumed));
  }

  /** Whether the run still holds the sync. */
  boolean holds(Connection c, RunLock lock) throws SQLException {
    return held(c, lock.syncId(), true).map(l -> l.runId().equals(lock.runId())).orElse(false);
  }

  void release(Connection c, RunLock lock) throws SQLException {
    RsJdbc.update(
        c,
        "DELETE FROM " + names.qualified(RsNames.PLANS) + " WHERE \"sync_id\" = ?",
        lock.syncId());
    RsJdbc.update(
        c,
        "DELETE FROM "
            + names.qualified(RsNames.LOCKS)
            + " WHERE \"sync_id\" = ? AND \"sync_run_id\" = ?",
        lock.syncId(),
        lock.runId());
  }
}
