package io.synclog.sink.redshift;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

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
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three tables (and the plan and lock tables) in a Redshift schema, written through the
 * spark-redshift community connector, which the cluster supplies (EMR, Glue).
 *
 * <p>A commit is ONE connector write, so one Redshift transaction. The run's changelog rows, the
 * sync's next snapshot and the runs row go into a per-run staging table (one union schema with a
 * {@code kind} column, {@code fields} as text), which the connector loads with COPY from the S3
 * temp dir. In the same transaction, its postactions check that the run still holds the sync's
 * lock, then replace the run's changelog rows, the sync's snapshot (parsing {@code fields} into
 * SUPER with JSON_PARSE) and the runs row, all by joining on the staged rows: no id or text of the
 * run is ever written into SQL. Readers see the run entirely or not at all; a failure anywhere
 * rolls everything back, and a rerun repeats the whole write. The staging table is dropped however
 * the write ends; one left by a killed process is replaced by the run's next attempt and dropped
 * when the run releases its lock.
 *
 * <p>TRUNCATE and ALTER TABLE APPEND are never used: on Redshift both commit the transaction they
 * run in. Small reads and writes (locks, runs rows, DDL, prune) go over JDBC with bound parameters;
 * the snapshot and the plan are read back through the connector (UNLOAD to the temp dir), filtered
 * by Spark predicates that the connector pushes down.
 */
public final class RedshiftLogSink implements LogSink {
  private static final Logger LOG = LoggerFactory.getLogger(RedshiftLogSink.class);

  private final SparkSession spark;
  private final RsTarget target;
  private final RsNames names;
  private final RsLocks locks;
  private final boolean writeChangelog;

  RedshiftLogSink(
      SparkSession spark,
      RsTarget target,
      String schema,
      Map<String, String> physical,
      boolean writeChangelog) {
    this.spark = spark;
    this.target = target;
    this.names = new RsNames(schema, physical);
    this.locks = new RsLocks(names);
    this.writeChangelog = writeChangelog;
  }

  /** The sink named by {@code target.kind=redshift}; checks every Redshift setting first. */
  public static RedshiftLogSink open(
      SparkSession spark, SyncConfig config, Map<String, String> physical) {
    return new RedshiftLogSink(
        spark, RsTarget.from(config), config.schema(), physical, config.tableEnabled("changelog"));
  }

  @Override
  public String describe() {
    return "Redshift schema " + names.schema() + " at " + target.describe();
  }

  @Override
  public String tableName(String logical) {
    return names.display(logical);
  }

  // ---- tables ------------------------------------------------------------------------------

  /**
   * Creates what is missing. Every statement is idempotent; Redshift has no advisory locks, so when
   * two syncs create the same table at once and one loses the race, it simply tries again.
   */
  @Override
  public void prepare() {
    writing(
        "tables",
        null,
        () -> {
          for (int attempt = 1; ; attempt++) {
            try {
              return RsJdbc.inTransaction(
                  target,
                  c -> {
                    if (RsJdbc.query(
                            c, "SELECT 1 FROM pg_namespace WHERE nspname = ?", names.schema())
                        .isEmpty()) {
                      RsJdbc.execute(c, RsDdl.createSchema(names));
                    }
                    for (String ddl : RsDdl.statements(names, writeChangelog)) {
                      RsJdbc.execute(c, ddl);
                    }
                    return null;
                  });
            } catch (SQLException e) {
              if (attempt >= 3) {
                throw e;
              }
              LOG.info(
                  "creating tables in {} raced another sync ({}); retrying",
                  names.schema(),
                  e.getMessage());
              sleep(200L * attempt);
            }
          }
        });
  }

  private boolean hasColumn(String logical, String column) throws SQLException {
    return !RsJdbc.autoCommit(
            target,
            c ->
                RsJdbc.query(
                    c,
                    "SELECT 1 FROM information_schema.columns WHERE table_schema = ? AND"
                        + " table_name = ? AND column_name = ?",
                    names.schema(),
                    names.table(logical),
                    column))
        .isEmpty();
  }

  private void addSplitGroupIfMissing(String logical, StructType rows) throws SQLException {
    if (!Arrays.asList(rows.fieldNames()).contains(SPLIT_GROUP)
        || hasColumn(logical, SPLIT_GROUP)) {
      return;
    }
    try {
      RsJdbc.autoCommit(
          target,
          c -> {
            RsJdbc.execute(c, RsDdl.addSplitGroup(names, logical));
            return null;
          });
    } catch (SQLException e) {
      if (!hasColumn(logical, SPLIT_GROUP)) {
        throw e; // not a lost race with another sync adding it
      }
    }
  }

  // ---- runs --------------------------------------------------------------------------------

  @Override
  public Optional<RunRecord> recordedRun(String syncId, String runId) {
    StructType schema = LogTables.runsSchema();
    List<Object[]> rows =
        reading(
            "runs",
            () ->
                RsJdbc.autoCommit(
                    target,
                    c ->
                        RsJdbc.query(
                            c,
                            "SELECT "
                                + quoted(schema.fieldNames())
                                + " FROM "
                                + names.qualified("runs")
                                + " WHERE \"sync_id\" = ? AND \"sync_run_id\" = ?",
                            syncId,
                            runId)));
    return rows.stream().findFirst().map(r -> LogTables.runRecord(runRow(r, schema)));
  }

  private static Row runRow(Object[] values, StructType schema) {
    Object[] out = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] instanceof Instant t ? Timestamp.from(t) : values[i];
    }
    return new GenericRowWithSchema(out, schema);
  }

  @Override
  public Optional<String> lastModelSchema(String syncId) {
    List<Object[]> rows =
        reading(
            "runs",
            () ->
                RsJdbc.autoCommit(
                    target,
                    c ->
                        RsJdbc.query(
                            c,
                            "SELECT \"model_schema\" FROM "
                                + names.qualified("runs")
                                + " WHERE \"sync_id\" = ? ORDER BY \"started_at\" DESC,"
                                + " \"recorded_at\" DESC LIMIT 1",
                            syncId)));
    return rows.stream().findFirst().map(r -> (String) r[0]);
  }

  // ---- locks and plans ---------------------------------------------------------------------

  @Override
  public RunLock acquire(String syncId, String runId, Instant startedAt) {
    RunLock holder =
        reading(
            RsNames.LOCKS,
            () -> RsJdbc.inTransaction(target, c -> locks.claim(c, syncId, runId, startedAt)));
    return locks.mine(holder, syncId, runId);
  }

  @Override
  public Optional<RunLock> heldLock(String syncId) {
    return reading(
        RsNames.LOCKS, () -> RsJdbc.autoCommit(target, c -> locks.held(c, syncId, true)));
  }

  /** Releases the lock, and drops staging tables a killed attempt of the run may have left. */
  @Override
  public void release(RunLock lock) {
    writing(
        RsNames.LOCKS,
        lock,
        () ->
            RsJdbc.inTransaction(
                target,
                c -> {
                  locks.release(c, lock);
                  return null;
                }));
    for (String purpose : List.of(RsSwap.PLAN, "commit")) {
      dropQuietly(names.staging(lock.syncId(), lock.runId(), purpose), lock);
    }
  }

  @Override
  public Dataset<Row> previousSnapshot(RunLock lock) {
    return reading(
        "snapshot",
        () -> {
          boolean splits = hasColumn("snapshot", SPLIT_GROUP);
          List<Column> select = new ArrayList<>();
          for (StructField f : LogTables.snapshotSchema(true).fields()) {
            Column c;
            if (f.name().equals(FIELDS)) {
              c = col(RsDdl.FIELDS_TEXT);
            } else if (f.name().equals(SPLIT_GROUP) && !splits) {
              c = lit(null);
            } else {
              c = col(f.name());
            }
            select.add(c.cast(f.dataType()).as(f.name()));
          }
          return connectorRead("snapshot")
              .where(col(SYNC_ID).equalTo(lock.syncId()))
              .select(select.toArray(new Column[0]));
        });
  }

  @Override
  public RunLock storePlan(RunLock lock, Dataset<Row> planRows, String modelSchema) {
    StructType control =
        new StructType()
            .add(SYNC_ID, "string")
            .add(SYNC_RUN_ID, "string")
            .add("model_schema", "string");
    Dataset<Row> controlRow =
        spark.createDataFrame(
            List.of(RowFactory.create(lock.syncId(), lock.runId(), modelSchema)), control);
    StructType union = RsStaging.unionSchema(List.of(planRows.schema(), control));
    Map<String, Dataset<Row>> parts = new LinkedHashMap<>();
    parts.put(RsSwap.PLAN, planRows);
    parts.put(RsSwap.RUN, controlRow);
    String staging = names.staging(lock.syncId(), lock.runId(), RsSwap.PLAN);
    stagedWrite(
        RsNames.PLANS,
        lock,
        staging,
        union,
        RsStaging.union(union, parts),
        RsSwap.plan(names, staging, List.of(planRows.schema().fieldNames())),
        FaultHook.NONE);
    return lock.withPlan(modelSchema);
  }

  @Override
  public Optional<Dataset<Row>> storedPlan(RunLock lock) {
    if (!lock.planned()) {
      return Optional.empty();
    }
    return Optional.of(
        reading(
            RsNames.PLANS,
            () -> {
              List<Column> select = new ArrayList<>();
              for (StructField f : LogTables.planSchema().fields()) {
                select.add(col(f.name()).cast(f.dataType()).as(f.name()));
              }
              return connectorRead(RsNames.PLANS)
                  .where(
                      col(SYNC_ID)
                          .equalTo(lock.syncId())
                          .and(col(SYNC_RUN_ID).equalTo(lock.runId())))
                  .select(select.toArray(new Column[0]));
            }));
  }

  // ---- commit ------------------------------------------------------------------------------

  @Override
  public void commit(RunLock lock, RunOutput output, FaultHook hook) {
    Dataset<Row> runRow =
        spark.createDataFrame(List.of(LogTables.runRow(output.run())), LogTables.runsSchema());
    Map<String, Dataset<Row>> parts = new LinkedHashMap<>();
    List<StructType> schemas = new ArrayList<>();
    if (writeChangelog) {
      parts.put(RsSwap.CHANGELOG, output.changelog());
      schemas.add(output.changelog().schema());
    }
    parts.put(RsSwap.SNAPSHOT, output.snapshot());
    schemas.add(output.snapshot().schema());
    parts.put(RsSwap.RUN, runRow);
    schemas.add(LogTables.runsSchema());
    StructType union = RsStaging.unionSchema(schemas);
    String staging = names.staging(lock.syncId(), lock.runId(), "commit");
    writing(
        "snapshot",
        lock,
        () -> {
          if (writeChangelog) {
            addSplitGroupIfMissing("changelog", output.changelog().schema());
          }
          addSplitGroupIfMissing("snapshot", output.snapshot().schema());
          return null;
        });
    List<String> actions =
        RsSwap.commit(
            names,
            staging,
            writeChangelog ? List.of(output.changelog().schema().fieldNames()) : null,
            List.of(output.snapshot().schema().fieldNames()),
            List.of(LogTables.runsSchema().fieldNames()));
    stagedWrite("snapshot", lock, staging, union, RsStaging.union(union, parts), actions, hook);
    hook.at(AFTER_RUNS);
  }

  /**
   * Creates the staging table, then writes the rows with ONE connector write whose transaction
   * loads the staging table (COPY) and runs the postactions, the first of which check the lock;
   * drops the staging table however it ends.
   */
  private void stagedWrite(
      String logical,
      RunLock lock,
      String staging,
      StructType union,
      Dataset<Row> rows,
      List<String> postactions,
      FaultHook hook) {
    writing(
        logical,
        lock,
        () ->
            RsJdbc.autoCommit(
                target,
                c -> {
                  // a hard-killed earlier attempt of this run may have left it behind
                  RsJdbc.execute(c, "DROP TABLE IF EXISTS " + staging);
                  RsJdbc.execute(c, RsDdl.createStaging(staging, union));
                  return null;
                }));
    try {
      if (!writing(logical, lock, () -> RsJdbc.autoCommit(target, c -> locks.holds(c, lock)))) {
        throw Errors.lockLost(lock.syncId(), lock.runId(), names.display(RsNames.LOCKS));
      }
      hook.at(AFTER_CHANGELOG);
      hook.at(AFTER_SNAPSHOT);
      long start = System.nanoTime();
      try {
        rows.write()
            .format(RsTarget.CONNECTOR)
            .options(target.connectorOptions(staging))
            .option("postactions", RsSwap.join(postactions))
            .mode(SaveMode.Append)
            .save();
      } catch (SyncLogException e) {
        throw e;
      } catch (RuntimeException e) {
        throw failure(logical, lock, e);
      }
      LOG.info(
          "committed {} of sync '{}' run '{}' in {} ms",
          names.display(logical),
          lock.syncId(),
          lock.runId(),
          (System.nanoTime() - start) / 1_000_000);
    } finally {
      dropQuietly(staging, lock);
    }
  }

  /** The error of a failed write: the lost lock when that is why, else the write failure. */
  private SyncLogException failure(String logical, RunLock lock, RuntimeException e) {
    boolean held;
    try {
      held = RsJdbc.autoCommit(target, c -> locks.holds(c, lock));
    } catch (SQLException | RuntimeException check) {
      held = true;
    }
    if (!held) {
      return Errors.lockLost(lock.syncId(), lock.runId(), names.display(RsNames.LOCKS));
    }
    return Errors.writeFailed(
        lock.syncId(), lock.runId(), names.display(logical), target.scrub(rootCause(e)));
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c && !(c instanceof SQLException)) {
      c = c.getCause();
    }
    return c;
  }

  private void dropQuietly(String staging, RunLock lock) {
    try {
      RsJdbc.autoCommit(
          target,
          c -> {
            RsJdbc.execute(c, "DROP TABLE IF EXISTS " + staging);
            return null;
          });
    } catch (SQLException | RuntimeException e) {
      LOG.warn(
          "could not drop staging table {} of sync '{}' run '{}' ({}); the run's next attempt"
              + " or its release drops it, or drop it by hand",
          staging,
          lock.syncId(),
          lock.runId(),
          target.scrub(e).getMessage());
    }
  }

  private Dataset<Row> connectorRead(String logical) {
    return spark
        .read()
        .format(RsTarget.CONNECTOR)
        .options(target.connectorOptions(names.qualified(logical)))
        .load();
  }

  // ---- prune -------------------------------------------------------------------------------

  @Override
  public PruneResult prune(Instant cutoff) {
    return writing(
        "runs",
        null,
        () ->
            RsJdbc.inTransaction(
                target,
                c -> {
                  long changelogRows = 0;
                  if (writeChangelog) {
                    changelogRows =
                        RsJdbc.update(
                            c,
                            "DELETE FROM "
                                + names.qualified("changelog")
                                + " WHERE \"run_date\" < ?",
                            LocalDate.ofInstant(cutoff, ZoneOffset.UTC));
                  }
                  String runs = names.qualified("runs");
                  String bare = RsNames.quote(names.table("runs"));
                  long runRows =
                      RsJdbc.update(
                          c,
                          "DELETE FROM "
                              + runs
                              + " WHERE \"started_at\" < ? AND EXISTS (SELECT 1 FROM "
                              + runs
                              + " n WHERE n.\"sync_id\" = "
                              + bare
                              + ".\"sync_id\" AND (n.\"started_at\" > "
                              + bare
                              + ".\"started_at\" OR (n.\"started_at\" = "
                              + bare
                              + ".\"started_at\" AND n.\"recorded_at\" > "
                              + bare
                              + ".\"recorded_at\")))",
                          cutoff);
                  return new PruneResult(changelogRows, runRows);
                }));
  }

  // ---- errors ------------------------------------------------------------------------------

  @FunctionalInterface
  private interface SqlCall<T> {
    T call() throws SQLException;
  }

  private static String quoted(String[] columns) {
    return String.join(", ", Arrays.stream(columns).map(RsNames::quote).toList());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T reading(String logical, SqlCall<T> call) {
    try {
      return call.call();
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      throw Errors.warehouseFailed(
          "Redshift",
          "read " + names.display(logical),
          target.describe(),
          "Check target.jdbc-url, target.user, target.temp-dir and target.iam-role, and that the"
              + " user may read target.schema.",
          target.scrub(e));
    }
  }

  private <T> T writing(String logical, RunLock lock, SqlCall<T> call) {
    try {
      return call.call();
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      Throwable cause = target.scrub(e);
      if (lock == null) {
        throw Errors.warehouseFailed(
            "Redshift",
            "write " + names.display(logical),
            target.describe(),
            "Check that target.user may create and write tables in target.schema.",
            cause);
      }
      throw Errors.writeFailed(lock.syncId(), lock.runId(), names.display(logical), cause);
    }
  }
}
