package io.synclog.sink.postgres;

import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;

import io.synclog.config.ConfigKeys;
import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import io.synclog.log.LogTables;
import io.synclog.log.RunRecord;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.PruneResult;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;

/**
 * The three tables (and the plan and lock tables) in a Postgres schema.
 *
 * <p>A commit is stage, then swap: the run's changelog and snapshot rows are bulk-loaded with COPY
 * into UNLOGGED staging tables, in parallel from the Spark partitions; then ONE transaction checks
 * the run still holds the lock, replaces the run's changelog rows (DELETE by sync and run, INSERT
 * ... SELECT), replaces the sync's snapshot (DELETE by sync, INSERT ... SELECT) and upserts the
 * runs row. Readers see the run entirely or not at all; a crash at any point leaves the previous
 * state, and a rerun repeats the whole commit. The staging tables are dropped however the commit
 * ends. Because a run is committed atomically, the lock's base version is always 0: while the lock
 * is held, the sync's current snapshot is the one the run diffs against.
 *
 * <p>The changelog is one plain table, not range-partitioned by run_date. Every write and the
 * common reads ("one run's rows", a row's history, the runs join) go by sync and run, which an
 * index serves without knowing the date; partitions would need creating ahead of each new day or
 * month (DDL with a strong lock on the parent, on the write path of every sync), would force
 * run_date into every unique key, and would make those reads visit every partition. Prune deletes
 * by an index on run_date instead of dropping partitions. A very large installation can still
 * convert the table to a partitioned one by hand: synclog's statements name only the columns.
 */
public final class PostgresLogSink implements LogSink {
  /**
   * Extra fault boundary: inside the commit transaction, after every statement and before COMMIT,
   * so a test can show that a failure there leaves no trace.
   */
  public static final String BEFORE_COMMIT = "before-commit";

  private final SparkSession spark;
  private final PgTarget target;
  private final PgNames names;
  private final PgLocks locks;
  private final PgReads reads;
  private final boolean writeChangelog;

  /**
   * @param physical the physical name of each logical table (changelog, snapshot, runs)
   * @param writeChangelog whether the changelog is enabled
   */
  public PostgresLogSink(
      SparkSession spark,
      PgTarget target,
      String schema,
      Map<String, String> physical,
      boolean writeChangelog) {
    this.spark = spark;
    this.target = target;
    this.names = new PgNames(schema, physical);
    this.locks = new PgLocks(names);
    this.reads = new PgReads(spark, target, names);
    this.writeChangelog = writeChangelog;
  }

  /** The sink named by {@code target.kind=postgres} and the target.* keys. */
  public static PostgresLogSink open(
      SparkSession spark, SyncConfig config, Map<String, String> physical) {
    PgTarget target =
        PgTarget.of(
            config.get(ConfigKeys.TARGET_JDBC_URL),
            config.get(ConfigKeys.TARGET_USER),
            config.secret(ConfigKeys.TARGET_PASSWORD).orElse(null));
    return new PostgresLogSink(
        spark, target, config.schema(), physical, config.tableEnabled("changelog"));
  }

  @Override
  public String describe() {
    return "Postgres schema " + names.schema() + " at " + target.describe();
  }

  @Override
  public String tableName(String logical) {
    return names.display(logical);
  }

  // ---- tables ------------------------------------------------------------------------------

  @Override
  public void prepare() {
    writing(
        "tables",
        null,
        () ->
            Jdbc.inTransaction(
                target,
                c -> {
                  schemaLock(c);
                  if (Jdbc.query(c, "SELECT 1 FROM pg_namespace WHERE nspname = ?", names.schema())
                      .isEmpty()) {
                    Jdbc.execute(c, PgDdl.createSchema(names));
                  }
                  for (String ddl : PgDdl.statements(names, writeChangelog)) {
                    Jdbc.execute(c, ddl);
                  }
                  return null;
                }));
  }

  /** Serialises DDL on the schema: concurrent CREATE ... IF NOT EXISTS can otherwise collide. */
  private void schemaLock(Connection c) throws SQLException {
    Jdbc.query(c, "SELECT pg_advisory_xact_lock(hashtext(?))", "synclog:" + names.schema());
  }

  private void addSplitGroupIfMissing(String logical, StructType rows) throws SQLException {
    if (!Arrays.asList(rows.fieldNames()).contains(SPLIT_GROUP)
        || reads.hasColumn(logical, SPLIT_GROUP)) {
      return;
    }
    Jdbc.inTransaction(
        target,
        c -> {
          schemaLock(c);
          Jdbc.execute(c, PgDdl.addSplitGroup(names, logical));
          return null;
        });
  }

  // ---- runs --------------------------------------------------------------------------------

  @Override
  public Optional<RunRecord> recordedRun(String syncId, String runId) {
    StructType schema = LogTables.runsSchema();
    List<Object[]> rows =
        reading(
            "runs",
            () ->
                Jdbc.autoCommit(
                    target,
                    c ->
                        Jdbc.query(
                            c,
                            "SELECT "
                                + String.join(", ", quoted(schema.fieldNames()))
                                + " FROM "
                                + names.qualified("runs")
                                + " WHERE sync_id = ? AND sync_run_id = ?",
                            syncId,
                            runId)));
    return rows.stream()
        .findFirst()
        .map(r -> LogTables.runRecord(new GenericRowWithSchema(r, schema)));
  }

  @Override
  public Optional<String> lastModelSchema(String syncId) {
    List<Object[]> rows =
        reading(
            "runs",
            () ->
                Jdbc.autoCommit(
                    target,
                    c ->
                        Jdbc.query(
                            c,
                            "SELECT model_schema FROM "
                                + names.qualified("runs")
                                + " WHERE sync_id = ? ORDER BY started_at DESC, recorded_at DESC"
                                + " LIMIT 1",
                            syncId)));
    return rows.stream().findFirst().map(r -> (String) r[0]);
  }

  // ---- locks and plans ---------------------------------------------------------------------

  @Override
  public RunLock acquire(String syncId, String runId, Instant startedAt) {
    return reading(
        PgNames.LOCKS,
        () -> Jdbc.autoCommit(target, c -> locks.acquire(c, syncId, runId, startedAt)));
  }

  @Override
  public Optional<RunLock> heldLock(String syncId) {
    return reading(PgNames.LOCKS, () -> Jdbc.autoCommit(target, c -> locks.held(c, syncId, true)));
  }

  @Override
  public void release(RunLock lock) {
    writing(
        PgNames.LOCKS,
        lock,
        () ->
            Jdbc.inTransaction(
                target,
                c -> {
                  locks.release(c, lock);
                  return null;
                }));
  }

  @Override
  public Dataset<Row> previousSnapshot(RunLock lock) {
    return reading("snapshot", () -> reads.snapshot(lock.syncId()));
  }

  @Override
  public RunLock storePlan(RunLock lock, Dataset<Row> planRows, String modelSchema) {
    writing(
        PgNames.PLANS,
        lock,
        () -> {
          try (PgStaging staging = new PgStaging(target, names, lock.syncId(), lock.runId())) {
            String staged = staging.load(PgNames.PLANS, planRows);
            return Jdbc.inTransaction(
                target,
                c -> {
                  Jdbc.update(
                      c,
                      "DELETE FROM " + names.qualified(PgNames.PLANS) + " WHERE sync_id = ?",
                      lock.syncId());
                  Jdbc.update(
                      c,
                      PgStaging.insertSelect(
                          names.qualified(PgNames.PLANS),
                          staged,
                          List.of(planRows.schema().fields()),
                          "json",
                          null));
                  locks.markPlanned(c, lock, modelSchema);
                  return null;
                });
          }
        });
    return lock.withPlan(modelSchema);
  }

  @Override
  public Optional<Dataset<Row>> storedPlan(RunLock lock) {
    if (!lock.planned()) {
      return Optional.empty();
    }
    return Optional.of(reading(PgNames.PLANS, () -> reads.plan(lock.syncId(), lock.runId())));
  }

  // ---- commit ------------------------------------------------------------------------------

  @Override
  public void commit(RunLock lock, RunOutput output, FaultHook hook) {
    writing(
        "snapshot",
        lock,
        () -> {
          try (PgStaging staging = new PgStaging(target, names, lock.syncId(), lock.runId())) {
            String changelog = null;
            if (writeChangelog) {
              addSplitGroupIfMissing("changelog", output.changelog().schema());
              changelog = staging.load("changelog", output.changelog());
            }
            hook.at(AFTER_CHANGELOG);
            addSplitGroupIfMissing("snapshot", output.snapshot().schema());
            String snapshot = staging.load("snapshot", output.snapshot());
            hook.at(AFTER_SNAPSHOT);
            String stagedChangelog = changelog;
            Jdbc.inTransaction(
                target,
                c -> {
                  swap(c, lock, output, stagedChangelog, snapshot);
                  hook.at(BEFORE_COMMIT);
                  return null;
                });
            return null;
          }
        });
    hook.at(AFTER_RUNS);
  }

  /** The commit's one transaction. */
  private void swap(Connection c, RunLock lock, RunOutput output, String changelog, String snapshot)
      throws SQLException {
    locks.checkHeld(c, lock);
    if (changelog != null) {
      Jdbc.update(
          c,
          "DELETE FROM " + names.qualified("changelog") + " WHERE sync_id = ? AND sync_run_id = ?",
          lock.syncId(),
          lock.runId());
      Jdbc.update(
          c,
          PgStaging.insertSelect(
              names.qualified("changelog"),
              changelog,
              List.of(output.changelog().schema().fields()),
              "jsonb",
              null));
    }
    Jdbc.update(
        c, "DELETE FROM " + names.qualified("snapshot") + " WHERE sync_id = ?", lock.syncId());
    Jdbc.update(
        c,
        PgStaging.insertSelect(
            names.qualified("snapshot"),
            snapshot,
            List.of(output.snapshot().schema().fields()),
            "jsonb",
            PgDdl.FIELDS_TEXT));
    upsertRun(c, output.run());
  }

  private void upsertRun(Connection c, RunRecord run) throws SQLException {
    String[] columns = LogTables.runsSchema().fieldNames();
    List<String> updates = new ArrayList<>();
    for (String column : columns) {
      if (!column.equals(SYNC_ID) && !column.equals(SYNC_RUN_ID)) {
        updates.add(PgNames.quote(column) + " = EXCLUDED." + PgNames.quote(column));
      }
    }
    Row row = LogTables.runRow(run);
    Object[] values = new Object[row.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    Jdbc.update(
        c,
        "INSERT INTO "
            + names.qualified("runs")
            + " ("
            + String.join(", ", quoted(columns))
            + ") VALUES ("
            + String.join(", ", java.util.Collections.nCopies(columns.length, "?"))
            + ") ON CONFLICT (sync_id, sync_run_id) DO UPDATE SET "
            + String.join(", ", updates),
        values);
  }

  // ---- prune -------------------------------------------------------------------------------

  @Override
  public PruneResult prune(Instant cutoff) {
    return writing(
        "runs",
        null,
        () ->
            Jdbc.inTransaction(
                target,
                c -> {
                  long changelogRows = 0;
                  if (writeChangelog) {
                    changelogRows =
                        Jdbc.update(
                            c,
                            "DELETE FROM " + names.qualified("changelog") + " WHERE run_date < ?",
                            LocalDate.ofInstant(cutoff, ZoneOffset.UTC));
                  }
                  long runRows =
                      Jdbc.update(
                          c,
                          "DELETE FROM "
                              + names.qualified("runs")
                              + " r USING (SELECT sync_id, sync_run_id, row_number() OVER"
                              + " (PARTITION BY sync_id ORDER BY started_at DESC, recorded_at"
                              + " DESC) AS newest FROM "
                              + names.qualified("runs")
                              + ") o WHERE r.sync_id = o.sync_id AND r.sync_run_id ="
                              + " o.sync_run_id AND o.newest > 1 AND r.started_at < ?",
                          Timestamp.from(cutoff));
                  return new PruneResult(changelogRows, runRows);
                }));
  }

  // ---- errors ------------------------------------------------------------------------------

  @FunctionalInterface
  private interface SqlCall<T> {
    T call() throws SQLException;
  }

  private static List<String> quoted(String[] columns) {
    return Arrays.stream(columns).map(PgNames::quote).toList();
  }

  private <T> T reading(String logical, SqlCall<T> call) {
    try {
      return call.call();
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      throw Errors.postgresFailed("read " + names.display(logical), target.describe(), scrubbed(e));
    }
  }

  private <T> T writing(String logical, RunLock lock, SqlCall<T> call) {
    try {
      return call.call();
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      Throwable cause = scrubbed(e);
      if (lock == null) {
        throw Errors.postgresFailed("write " + names.display(logical), target.describe(), cause);
      }
      throw Errors.writeFailed(lock.syncId(), lock.runId(), names.display(logical), cause);
    }
  }

  private Throwable scrubbed(Exception e) {
    return e instanceof SQLException s ? target.scrub(s) : e;
  }
}
