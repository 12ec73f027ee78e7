package io.synclog.sink.warehouse;

import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;

import io.synclog.error.Errors;
import io.synclog.log.SyncRun;
import io.synclog.sink.RunLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The lock protocol every SQL warehouse follows. The lock table holds one row per sync, naming the
 * run that holds it. A claim inserts the sync's row only when there is none, in the warehouse's own
 * way ({@link #claimStatements}), then reads the row back: its run is the holder. Runs of different
 * syncs touch different rows. A commit's transaction first touches its run's row ({@link
 * #checkHeld}), which fails when the run lost the sync and makes a concurrent unlock wait for the
 * commit.
 */
public abstract class WarehouseLocks {
  protected final WarehouseNames names;
  private final Dialect d;

  protected WarehouseLocks(WarehouseNames names) {
    this.names = names;
    this.d = names.dialect();
  }

  /**
   * The statements that insert the sync's lock row unless it has one, run on one connection; the
   * last one's update count says whether it inserted.
   */
  protected abstract List<SqlStatement> claimStatements(
      SyncRun run, Instant startedAt, Instant now);

  protected String c(String column) {
    return d.column(column);
  }

  protected String bySyncAndRun() {
    return c(SYNC_ID) + " = ? AND " + c(SYNC_RUN_ID) + " = ?";
  }

  /** The columns a claim inserts, quoted: sync, run, phase, base version, started, claimed. */
  protected String claimColumns() {
    return String.join(
        ", ",
        c(SYNC_ID),
        c(SYNC_RUN_ID),
        c("phase"),
        c("base_version"),
        c("started_at"),
        c("claimed_at"));
  }

  // ---- statements --------------------------------------------------------------------------

  public SqlStatement held(String syncId) {
    return SqlStatement.of(
        "SELECT "
            + String.join(
                ", ",
                List.of(
                    c(SYNC_ID),
                    c(SYNC_RUN_ID),
                    c("phase"),
                    c("base_version"),
                    c("started_at"),
                    c("model_schema")))
            + " FROM "
            + names.qualified(WarehouseNames.LOCKS)
            + " WHERE "
            + c(SYNC_ID)
            + " = ?",
        syncId);
  }

  /** Touches the run's lock row: one row updated means the run still holds the sync. */
  public SqlStatement lockCheck(RunLock lock) {
    return SqlStatement.of(
        "UPDATE "
            + names.qualified(WarehouseNames.LOCKS)
            + " SET "
            + c("claimed_at")
            + " = "
            + c("claimed_at")
            + " WHERE "
            + bySyncAndRun(),
        lock.syncId(),
        lock.runId());
  }

  public SqlStatement markPlanned(RunLock lock, String modelSchema) {
    return SqlStatement.of(
        "UPDATE "
            + names.qualified(WarehouseNames.LOCKS)
            + " SET "
            + c("phase")
            + " = ?, "
            + c("model_schema")
            + " = ? WHERE "
            + bySyncAndRun(),
        RunLock.PLANNED,
        modelSchema,
        lock.syncId(),
        lock.runId());
  }

  /** Drops the sync's stored plan and its lock row. */
  public List<SqlStatement> release(RunLock lock) {
    return List.of(
        SqlStatement.of(
            "DELETE FROM "
                + names.qualified(WarehouseNames.PLANS)
                + " WHERE "
                + c(SYNC_ID)
                + " = ?",
            lock.syncId()),
        SqlStatement.of(
            "DELETE FROM " + names.qualified(WarehouseNames.LOCKS) + " WHERE " + bySyncAndRun(),
            lock.syncId(),
            lock.runId()));
  }

  // ---- the protocol on a connection --------------------------------------------------------

  /** Claims the sync for the run, or resumes the run's earlier claim. */
  public RunLock acquire(Connection c, SyncRun run, Instant startedAt) throws SQLException {
    int inserted = JdbcSession.update(d, c, claimStatements(run, startedAt, Instant.now()));
    Optional<RunLock> held = held(c, run.syncId(), inserted == 0);
    if (held.isEmpty()) {
      // the holder released between our insert attempt and the read
      throw Errors.concurrentRun(run, names.display(WarehouseNames.LOCKS));
    }
    return mine(held.get(), run);
  }

  /** The claim, or an error naming the run that holds the sync. */
  public RunLock mine(RunLock holder, SyncRun run) {
    return mine(names, holder, run);
  }

  /**
   * The claim, or an error naming the run that holds the sync: the holder check of every
   * warehouse's lock protocol, JDBC or not.
   */
  public static RunLock mine(WarehouseNames names, RunLock holder, SyncRun run) {
    if (!holder.runId().equals(run.runId())) {
      throw Errors.runInProgress(
          run,
          holder.runId(),
          holder.planned() ? "planned but not recorded yet" : "being recorded, or was interrupted",
          names.display(WarehouseNames.LOCKS));
    }
    return holder;
  }

  public Optional<RunLock> held(Connection c, String syncId, boolean resumed) throws SQLException {
    return JdbcSession.query(d, c, held(syncId)).stream()
        .findFirst()
        .map(
            r ->
                new RunLock(
                    new SyncRun((String) r[0], (String) r[1]),
                    (String) r[2],
                    ((Number) r[3]).longValue(),
                    WarehouseValues.instant(r[4]),
                    (String) r[5],
                    resumed));
  }

  /** Whether the run still holds the sync. */
  public boolean holds(Connection c, RunLock lock) throws SQLException {
    return held(c, lock.syncId(), true).map(l -> l.runId().equals(lock.runId())).orElse(false);
  }

  /** Inside a transaction: fails unless the run still holds the sync. */
  public void checkHeld(Connection c, RunLock lock) throws SQLException {
    if (JdbcSession.update(d, c, lockCheck(lock)) != 1) {
      throw Errors.lockLost(lock.run(), names.display(WarehouseNames.LOCKS));
    }
  }

  public void markPlanned(Connection c, RunLock lock, String modelSchema) throws SQLException {
    JdbcSession.update(d, c, markPlanned(lock, modelSchema));
  }

  public void release(Connection c, RunLock lock) throws SQLException {
    JdbcSession.update(d, c, release(lock));
  }
}
