package io.synclog.sink.snowflake;

import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;

import io.synclog.error.Errors;
import io.synclog.sink.RunLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lock table: one row per sync naming the run that holds it. Snowflake enforces no unique keys,
 * so a claim is one MERGE that inserts the row only when the sync has none; MERGEs on one table are
 * serialised by Snowflake's table lock, so of two runs claiming a sync exactly one inserts. The
 * claimant then reads the row back to learn who holds the sync.
 */
final class SnowflakeLocks {
  private final SnowflakeNames names;

  SnowflakeLocks(SnowflakeNames names) {
    this.names = names;
  }

  /** Inserts the sync's lock row unless one exists; Snowflake serialises MERGEs on a table. */
  SqlStatement claim(String syncId, String runId, Instant startedAt, Instant now) {
    String cols = "SYNC_ID, SYNC_RUN_ID, PHASE, BASE_VERSION, STARTED_AT, CLAIMED_AT";
    List<String> quoted = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (String col : cols.split(", ")) {
      quoted.add(SnowflakeSql.c(col));
      values.add("s." + SnowflakeSql.c(col));
    }
    return SqlStatement.of(
        "MERGE INTO "
            + names.qualified(SnowflakeNames.LOCKS)
            + " t USING (SELECT ? AS "
            + SnowflakeSql.c(SYNC_ID)
            + ", ? AS "
            + SnowflakeSql.c(SYNC_RUN_ID)
            + ", ? AS "
            + SnowflakeSql.c("phase")
            + ", 0 AS "
            + SnowflakeSql.c("base_version")
            + ", "
            + SnowflakeSql.tsParam()
            + " AS "
            + SnowflakeSql.c("started_at")
            + ", "
            + SnowflakeSql.tsParam()
            + " AS "
            + SnowflakeSql.c("claimed_at")
            + ") s ON t."
            + SnowflakeSql.c(SYNC_ID)
            + " = s."
            + SnowflakeSql.c(SYNC_ID)
            + " WHEN NOT MATCHED THEN INSERT ("
            + String.join(", ", quoted)
            + ") VALUES ("
            + String.join(", ", values)
            + ")",
        syncId,
        runId,
        RunLock.RECORDING,
        SnowflakeSql.timestamp(startedAt),
        SnowflakeSql.timestamp(now));
  }

  SqlStatement held(String syncId) {
    return SqlStatement.of(
        "SELECT "
            + String.join(
                ", ",
                List.of(
                    SnowflakeSql.c(SYNC_ID),
                    SnowflakeSql.c(SYNC_RUN_ID),
                    SnowflakeSql.c("phase"),
                    SnowflakeSql.c("base_version"),
                    SnowflakeSql.c("started_at"),
                    SnowflakeSql.c("model_schema")))
            + " FROM "
            + names.qualified(SnowflakeNames.LOCKS)
            + " WHERE "
            + SnowflakeSql.c(SYNC_ID)
            + " = ?",
        syncId);
  }

  /**
   * Inside a transaction: touches the run's lock row. One row updated means the run still holds the
   * sync; the row lock it takes makes a concurrent unlock wait for the commit.
   */
  SqlStatement lockCheck(RunLock lock) {
    return SqlStatement.of(
        "UPDATE "
            + names.qualified(SnowflakeNames.LOCKS)
            + " SET "
            + SnowflakeSql.c("claimed_at")
            + " = "
            + SnowflakeSql.c("claimed_at")
            + " WHERE "
            + SnowflakeSql.bySyncAndRun(),
        lock.syncId(),
        lock.runId());
  }

  SqlStatement markPlanned(RunLock lock, String modelSchema) {
    return SqlStatement.of(
        "UPDATE "
            + names.qualified(SnowflakeNames.LOCKS)
            + " SET "
            + SnowflakeSql.c("phase")
            + " = ?, "
            + SnowflakeSql.c("model_schema")
            + " = ? WHERE "
            + SnowflakeSql.bySyncAndRun(),
        RunLock.PLANNED,
        modelSchema,
        lock.syncId(),
        lock.runId());
  }

  List<SqlStatement> release(RunLock lock) {
    return List.of(
        SqlStatement.of(
            "DELETE FROM "
                + names.qualified(SnowflakeNames.PLANS)
                + " WHERE "
                + SnowflakeSql.c(SYNC_ID)
                + " = ?",
            lock.syncId()),
        SqlStatement.of(
            "DELETE FROM "
                + names.qualified(SnowflakeNames.LOCKS)
                + " WHERE "
                + SnowflakeSql.bySyncAndRun(),
            lock.syncId(),
            lock.runId()));
  }

  RunLock acquire(Connection c, String syncId, String runId, Instant startedAt)
      throws SQLException {
    int inserted = SnowflakeJdbc.update(c, claim(syncId, runId, startedAt, Instant.now()));
    Optional<RunLock> held = held(c, syncId, inserted == 0);
    if (held.isEmpty()) {
      throw Errors.concurrentRun(syncId, runId, names.display(SnowflakeNames.LOCKS));
    }
    RunLock lock = held.get();
    if (!lock.runId().equals(runId)) {
      throw Errors.runInProgress(
          syncId,
          runId,
          lock.runId(),
          lock.planned() ? "planned but not recorded yet" : "being recorded, or was interrupted",
          names.display(SnowflakeNames.LOCKS));
    }
    return lock;
  }

  Optional<RunLock> held(Connection c, String syncId, boolean resumed) throws SQLException {
    List<Object[]> rows = SnowflakeJdbc.query(c, held(syncId));
    return rows.stream()
        .findFirst()
        .map(
            r ->
                new RunLock(
                    (String) r[0],
                    (String) r[1],
                    (String) r[2],
                    ((Number) r[3]).longValue(),
                    SnowflakeValues.instant(r[4]),
                    (String) r[5],
                    resumed));
  }

  /** Inside a transaction: fails unless the run still holds the sync. */
  void checkHeld(Connection c, RunLock lock) throws SQLException {
    if (SnowflakeJdbc.update(c, lockCheck(lock)) != 1) {
      throw Errors.lockLost(lock.syncId(), lock.runId(), names.display(SnowflakeNames.LOCKS));
    }
  }

  void markPlanned(Connection c, RunLock lock, String modelSchema) throws SQLException {
    SnowflakeJdbc.update(c, markPlanned(lock, modelSchema));
  }

  void release(Connection c, RunLock lock) throws SQLException {
    for (SqlStatement s : release(lock)) {
      SnowflakeJdbc.update(c, s);
    }
  }
}
