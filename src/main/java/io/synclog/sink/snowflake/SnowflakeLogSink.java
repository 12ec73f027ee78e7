package io.synclog.sink.snowflake;

import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static org.apache.spark.sql.functions.col;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three tables (and the plan and lock tables) in a Snowflake schema.
 *
 * <p>A commit is stage, then swap. The connector bulk-loads the run's changelog and snapshot rows
 * (staged files and COPY INTO) into per-run TRANSIENT staging tables; then ONE JDBC transaction
 * checks the run still holds the sync, replaces the run's changelog rows (DELETE by sync and run,
 * INSERT ... SELECT with PARSE_JSON), replaces the sync's snapshot (DELETE by sync, INSERT ...
 * SELECT) and merges the runs row. Only DML runs inside it: Snowflake commits around every DDL
 * statement, so the staging tables are created before and dropped after, however the commit ends.
 * Readers see a run entirely or not at all; a rerun repeats the whole commit.
 *
 * <p>Connector pre/post actions are not used for the swap: they are split on ';' and formatted with
 * '%s', and they share the COPY's transaction only on one connector path.
 */
public final class SnowflakeLogSink implements LogSink {
  private static final Logger LOG = LoggerFactory.getLogger(SnowflakeLogSink.class);

  /** Extra fault boundary: inside the commit transaction, after every statement, before COMMIT. */
  public static final String BEFORE_COMMIT = "before-commit";

  private final String where;
  private final UnaryOperator<String> scrub;
  private final SnowflakeJdbc jdbc;
  private final SnowflakeTransfer transfer;
  private final SnowflakeNames names;
  private final SnowflakeSql sql;
  private final SnowflakeLocks locks;
  private final boolean writeChangelog;

  /**
   * @param where the account and database, for messages (no secrets)
   * @param scrub removes secrets from a driver message
   * @param physical the physical name of each logical table (changelog, snapshot, runs)
   */
  public SnowflakeLogSink(
      String where,
      UnaryOperator<String> scrub,
      SnowflakeJdbc jdbc,
      SnowflakeTransfer transfer,
      String schema,
      Map<String, String> physical,
      boolean writeChangelog) {
    this.where = where;
    this.scrub = scrub;
    this.jdbc = jdbc;
    this.transfer = transfer;
    this.names = new SnowflakeNames(schema, physical);
    this.sql = new SnowflakeSql(names);
    this.locks = new SnowflakeLocks(names);
    this.writeChangelog = writeChangelog;
  }

  /** The sink named by {@code target.kind=snowflake} and the target.* keys. */
  public static SnowflakeLogSink open(
      SparkSession spark, SyncConfig config, Map<String, String> physical) {
    SnowflakeSettings settings = SnowflakeSettings.from(config);
    return new SnowflakeLogSink(
        settings.describe(),
        settings::scrub,
        new SnowflakeJdbc(new SnowflakeConnections(settings)),
        SnowflakeTransfer.connector(spark, settings),
        config.schema(),
        physical,
        config.tableEnabled("changelog"));
  }

  @Override
  public String describe() {
    return "Snowflake schema " + names.schema() + " at " + where;
  }

  @Override
  public String tableName(String logical) {
    return names.display(logical);
  }

  @Override
  public void prepare() {
    writing(
        "tables",
        null,
        () ->
            jdbc.autoCommit(
                c -> {
                  if (SnowflakeJdbc.query(c, sql.schemaExists()).isEmpty()) {
                    SnowflakeJdbc.execute(c, SnowflakeDdl.createSchema(names));
                  }
                  for (String ddl : SnowflakeDdl.tables(names, writeChangelog)) {
                    SnowflakeJdbc.execute(c, ddl);
                  }
                  return null;
                }));
  }

  private boolean hasColumn(String logical, String column) throws SQLException {
    return !jdbc.autoCommit(c -> SnowflakeJdbc.query(c, sql.hasColumn(logical, column))).isEmpty();
  }

  private void addSplitGroupIfMissing(String logical, StructType rows) throws SQLException {
    if (Arrays.asList(rows.fieldNames()).contains(SPLIT_GROUP)
        && !hasColumn(logical, SPLIT_GROUP)) {
      jdbc.autoCommit(
          c -> {
            SnowflakeJdbc.execute(c, SnowflakeDdl.addSplitGroup(names, logical));
            return null;
          });
    }
  }

  @Override
  public Optional<RunRecord> recordedRun(String syncId, String runId) {
    StructType schema = LogTables.runsSchema();
    List<Object[]> rows =
        reading(
            "runs",
            () -> jdbc.autoCommit(c -> SnowflakeJdbc.query(c, sql.recordedRun(syncId, runId))));
    return rows.stream()
        .findFirst()
        .map(
            r -> {
              Object[] values = new Object[r.length];
              for (int i = 0; i < r.length; i++) {
                values[i] = SnowflakeValues.as(r[i], schema.fields()[i].dataType());
              }
              return LogTables.runRecord(new GenericRowWithSchema(values, schema));
            });
  }

  @Override
  public Optional<String> lastModelSchema(String syncId) {
    List<Object[]> rows =
        reading(
            "runs",
            () -> jdbc.autoCommit(c -> SnowflakeJdbc.query(c, sql.lastModelSchema(syncId))));
    return rows.stream().findFirst().map(r -> (String) r[0]);
  }

  @Override
  public RunLock acquire(String syncId, String runId, Instant startedAt) {
    return reading(
        SnowflakeNames.LOCKS,
        () -> jdbc.autoCommit(c -> locks.acquire(c, syncId, runId, startedAt)));
  }

  @Override
  public Optional<RunLock> heldLock(String syncId) {
    return reading(SnowflakeNames.LOCKS, () -> jdbc.autoCommit(c -> locks.held(c, syncId, true)));
  }

  @Override
  public void release(RunLock lock) {
    writing(
        SnowflakeNames.LOCKS,
        lock,
        () ->
            jdbc.inTransaction(
                c -> {
                  locks.release(c, lock);
                  return null;
                }));
  }

  @Override
  public Dataset<Row> previousSnapshot(RunLock lock) {
    return reading(
        "snapshot",
        () -> {
          StructType schema = LogTables.snapshotSchema(true);
          boolean splits = hasColumn("snapshot", SPLIT_GROUP);
          Column mine = col(SnowflakeNames.folded(SYNC_ID)).equalTo(lock.syncId());
          return read(sql.selectAll("snapshot", schema, true, splits), mine, schema);
        });
  }

  @Override
  public RunLock storePlan(RunLock lock, Dataset<Row> planRows, String modelSchema) {
    writing(
        SnowflakeNames.PLANS,
        lock,
        () -> {
          try (SnowflakeStaging staging = staging(lock)) {
            String staged = staging.load(SnowflakeNames.PLANS, planRows);
            return jdbc.inTransaction(
                c -> {
                  locks.checkHeld(c, lock);
                  run(c, sql.storePlan(lock, staged, planRows.schema()));
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
    StructType schema = LogTables.planSchema();
    Column mine =
        col(SnowflakeNames.folded(SYNC_ID))
            .equalTo(lock.syncId())
            .and(col(SnowflakeNames.folded(SYNC_RUN_ID)).equalTo(lock.runId()));
    return Optional.of(
        reading(
            SnowflakeNames.PLANS,
            () -> read(sql.selectAll(SnowflakeNames.PLANS, schema, false, true), mine, schema)));
  }

  /** A query's rows filtered (pushed down), with the Spark schema's names and types. */
  private Dataset<Row> read(String query, Column filter, StructType schema) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      cols.add(col(SnowflakeNames.folded(f.name())).cast(f.dataType()).as(f.name()));
    }
    return transfer.query(query).where(filter).select(cols.toArray(new Column[0]));
  }

  @Override
  public void commit(RunLock lock, RunOutput output, FaultHook hook) {
    writing(
        "snapshot",
        lock,
        () -> {
          try (SnowflakeStaging staging = staging(lock)) {
            String changelog = null;
            if (writeChangelog) {
              addSplitGroupIfMissing("changelog", output.changelog().schema());
              changelog = staging.load("changelog", output.changelog());
            }
            hook.at(AFTER_CHANGELOG);
            addSplitGroupIfMissing("snapshot", output.snapshot().schema());
            String snapshot = staging.load("snapshot", output.snapshot());
            hook.at(AFTER_SNAPSHOT);
            List<SqlStatement> swap =
                sql.commit(
                    lock,
                    changelog,
                    output.changelog().schema(),
                    snapshot,
                    output.snapshot().schema(),
                    output.run());
            LOG.debug(
                "commit of sync '{}' run '{}':\n{}",
                lock.syncId(),
                lock.runId(),
                SqlStatement.joined(swap));
            return jdbc.inTransaction(
                c -> {
                  locks.checkHeld(c, lock);
                  run(c, swap);
                  hook.at(BEFORE_COMMIT);
                  return null;
                });
          }
        });
    hook.at(AFTER_RUNS);
  }

  @Override
  public PruneResult prune(Instant cutoff) {
    return writing(
        "runs",
        null,
        () ->
            jdbc.inTransaction(
                c -> {
                  long changelogRows =
                      writeChangelog ? SnowflakeJdbc.update(c, sql.pruneChangelog(cutoff)) : 0;
                  long runRows = SnowflakeJdbc.update(c, sql.pruneRuns(cutoff));
                  return new PruneResult(changelogRows, runRows);
                }));
  }

  private SnowflakeStaging staging(RunLock lock) {
    return new SnowflakeStaging(jdbc, transfer, names, lock.syncId(), lock.runId());
  }

  private static Void run(java.sql.Connection c, List<SqlStatement> statements)
      throws SQLException {
    for (SqlStatement s : statements) {
      SnowflakeJdbc.update(c, s);
    }
    return null;
  }

  @FunctionalInterface
  private interface Call<T> {
    T call() throws Exception;
  }

  private <T> T reading(String logical, Call<T> call) {
    try {
      return call.call();
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      throw Errors.warehouseFailed(
          "Snowflake", "read " + names.display(logical), where, HINT, scrubbed(e));
    }
  }

  private <T> T writing(String logical, RunLock lock, Call<T> call) {
    try {
      return call.call();
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      Throwable cause = scrubbed(e);
      if (lock == null) {
        throw Errors.warehouseFailed(
            "Snowflake", "write " + names.display(logical), where, HINT, cause);
      }
      throw Errors.writeFailed(lock.syncId(), lock.runId(), names.display(logical), cause);
    }
  }

  private static final String HINT =
      "Check target.url, target.user and target.auth, that target.warehouse is running, and that"
          + " the role may create and write tables in target.database.target.schema.";

  /** The error with any secret removed from its message (the cause chain is dropped then). */
  private Throwable scrubbed(Exception e) {
    String m = String.valueOf(e.getMessage());
    String clean = scrub.apply(m);
    return clean.equals(m) ? e : new SQLException(clean);
  }
}
