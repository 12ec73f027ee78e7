package io.synclog.sink.warehouse;

import static io.synclog.plan.Columns.SPLIT_GROUP;

import io.synclog.log.LogTables;
import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import io.synclog.sink.LogSink;
import io.synclog.sink.PruneResult;
import io.synclog.sink.PruneScope;
import io.synclog.sink.RunLock;
import io.synclog.sink.SchemaViews;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three tables (and the plan and lock tables) in a SQL warehouse reached over JDBC, written
 * once for every dialect.
 *
 * <p>A commit is stage, then swap: the run's changelog and snapshot rows are bulk-loaded into
 * per-run staging tables; then ONE transaction checks the run still holds the sync, replaces the
 * run's changelog rows (DELETE by sync and run, INSERT ... SELECT), replaces the sync's snapshot
 * (DELETE by sync, INSERT ... SELECT) and upserts the runs row. Readers see the run entirely or not
 * at all; a crash at any point leaves the previous state, and a rerun repeats the whole commit. The
 * staging tables are dropped however the commit ends. Because a run is committed atomically, the
 * lock's base version is always 0: while the lock is held, the sync's current snapshot is the one
 * the run diffs against.
 *
 * <p>A dialect's sink supplies what is truly its own: how rows are staged and read back into Spark,
 * and where its warehouse needs it, its own commit.
 */
public abstract class JdbcWarehouseSink implements LogSink, SchemaViews.Source {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcWarehouseSink.class);

  protected final WarehouseNames names;
  protected final JdbcSession jdbc;
  protected final WarehouseSql sql;
  protected final WarehouseLocks locks;
  protected final WarehouseCalls calls;
  protected final boolean writeChangelog;
  private final String where;

  /**
   * @param where the warehouse's address for messages, without secrets
   * @param writeChangelog whether the changelog is enabled
   */
  protected JdbcWarehouseSink(
      WarehouseNames names,
      JdbcSession jdbc,
      WarehouseSql sql,
      WarehouseLocks locks,
      WarehouseCalls calls,
      String where,
      boolean writeChangelog) {
    this.names = names;
    this.jdbc = jdbc;
    this.sql = sql;
    this.locks = locks;
    this.calls = calls;
    this.where = where;
    this.writeChangelog = writeChangelog;
  }

  /** The sync's snapshot in the table's Spark schema (with split_group), fields as written. */
  protected abstract Dataset<Row> readSnapshot(String syncId, boolean splits) throws Exception;

  /** The run's stored plan in the plan table's Spark schema, fields as written. */
  protected abstract Dataset<Row> readPlan(RunLock lock) throws Exception;

  /** Runs first in every DDL transaction: where the warehouse can, serialises DDL on the schema. */
  protected void beforeDdl(Connection c) throws SQLException {}

  @Override
  public String describe() {
    return names.dialect().warehouse() + " schema " + names.schema() + " at " + where;
  }

  @Override
  public String tableName(String logical) {
    return names.display(logical);
  }

  // ---- tables ------------------------------------------------------------------------------

  /**
   * Creates what is missing. Every statement is idempotent, but two syncs creating the same schema
   * or table at once can still collide where the warehouse has no DDL lock (Redshift, and the
   * PostgreSQL stand-ins of the others): the one that loses the race simply tries again.
   */
  @Override
  public void prepare() {
    calls.writing(
        "tables",
        null,
        () -> {
          for (int attempt = 1; ; attempt++) {
            try {
              return jdbc.inTransaction(this::createTables);
            } catch (SQLException e) {
              if (attempt >= CREATE_ATTEMPTS) {
                throw e;
              }
              LOG.info(
                  "creating tables in {} raced another sync ({}); retrying",
                  names.schema(),
                  e.getMessage());
              Thread.sleep(200L * attempt);
            }
          }
        });
  }

  private static final int CREATE_ATTEMPTS = 3;

  /**
   * Creates the schema when it is missing, then the tables. The schema is looked up first: some
   * warehouses check the privilege to create one even when it exists.
   */
  protected Void createTables(Connection c) throws SQLException {
    beforeDdl(c);
    if (jdbc.query(c, sql.schemaExists()).isEmpty()) {
      JdbcSession.execute(c, WarehouseDdl.createSchema(names));
    }
    for (String ddl : WarehouseDdl.tables(names, writeChangelog)) {
      JdbcSession.execute(c, ddl);
    }
    return null;
  }

  protected boolean hasColumn(String logical, String column) throws SQLException {
    return !jdbc.autoCommit(c -> jdbc.query(c, sql.hasColumn(logical, column))).isEmpty();
  }

  /** Adds split_group to a table when a sync starts using splits; another sync may race us. */
  protected void addSplitGroupIfMissing(String logical, StructType rows) throws SQLException {
    if (!Arrays.asList(rows.fieldNames()).contains(SPLIT_GROUP)
        || hasColumn(logical, SPLIT_GROUP)) {
      return;
    }
    try {
      jdbc.inTransaction(
          c -> {
            beforeDdl(c);
            JdbcSession.execute(c, WarehouseDdl.addSplitGroup(names, logical));
            return null;
          });
    } catch (SQLException e) {
      if (!hasColumn(logical, SPLIT_GROUP)) {
        throw e; // not a lost race with another sync adding it
      }
    }
  }

  /** Views over these tables in another schema of the database ({@link WarehouseViews}). */
  @Override
  public SchemaViews views() {
    return new WarehouseViews(names, jdbc, calls, this::beforeDdl);
  }

  // ---- runs --------------------------------------------------------------------------------

  @Override
  public Optional<RunRecord> recordedRun(SyncRun run) {
    StructType schema = LogTables.runsSchema();
    List<Object[]> rows =
        calls.reading("runs", () -> jdbc.autoCommit(c -> jdbc.query(c, sql.recordedRun(run))));
    return rows.stream()
        .findFirst()
        .map(
            r -> {
              Object[] values = new Object[r.length];
              for (int i = 0; i < r.length; i++) {
                values[i] = WarehouseValues.as(r[i], schema.fields()[i].dataType());
              }
              return LogTables.runRecord(new GenericRowWithSchema(values, schema));
            });
  }

  @Override
  public Optional<String> lastModelSchema(String syncId) {
    List<Object[]> rows =
        calls.reading(
            "runs", () -> jdbc.autoCommit(c -> jdbc.query(c, sql.lastModelSchema(syncId))));
    return rows.stream().findFirst().map(r -> (String) r[0]);
  }

  @Override
  public String commitMark(String syncId) {
    List<Object[]> rows =
        calls.reading("runs", () -> jdbc.autoCommit(c -> jdbc.query(c, sql.commitMark(syncId))));
    Object[] r = rows.get(0);
    return r[0] + "/" + r[1];
  }

  // ---- locks and plans ---------------------------------------------------------------------

  @Override
  public RunLock acquire(SyncRun run, Instant startedAt) {
    return calls.reading(
        WarehouseNames.LOCKS, () -> jdbc.inTransaction(c -> locks.acquire(c, run, startedAt)));
  }

  @Override
  public Optional<RunLock> heldLock(String syncId) {
    return calls.reading(
        WarehouseNames.LOCKS, () -> jdbc.autoCommit(c -> locks.held(c, syncId, true)));
  }

  @Override
  public void release(RunLock lock) {
    calls.writing(
        WarehouseNames.LOCKS,
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
    return calls.reading(
        "snapshot", () -> readSnapshot(lock.syncId(), hasColumn("snapshot", SPLIT_GROUP)));
  }

  @Override
  public Optional<Dataset<Row>> storedPlan(RunLock lock) {
    if (!lock.planned()) {
      return Optional.empty();
    }
    return Optional.of(calls.reading(WarehouseNames.PLANS, () -> readPlan(lock)));
  }

  // ---- prune -------------------------------------------------------------------------------

  @Override
  public PruneResult prune(Instant cutoff, PruneScope scope) {
    return calls.writing(
        "runs",
        null,
        () ->
            jdbc.inTransaction(
                c -> {
                  long runRows = jdbc.update(c, sql.pruneRuns(cutoff, scope));
                  long changelogRows =
                      writeChangelog ? jdbc.update(c, sql.pruneChangelog(cutoff, scope)) : 0;
                  return new PruneResult(changelogRows, runRows);
                }));
  }
}
