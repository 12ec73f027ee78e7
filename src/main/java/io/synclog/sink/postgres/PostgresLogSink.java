package io.synclog.sink.postgres;

import io.synclog.error.Errors;
import io.synclog.sink.RunLock;
import io.synclog.sink.warehouse.JdbcSession;
import io.synclog.sink.warehouse.SqlStatement;
import io.synclog.sink.warehouse.StagedWarehouseSink;
import io.synclog.sink.warehouse.StagingTables;
import io.synclog.sink.warehouse.WarehouseCalls;
import io.synclog.sink.warehouse.WarehouseNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The three tables (and the plan and lock tables) in a Postgres schema: the shared warehouse
 * protocol ({@link StagedWarehouseSink}), with the run's rows bulk-loaded by COPY into UNLOGGED
 * staging tables, in parallel from the Spark partitions, and read back through Spark's JDBC source.
 *
 * <p>The changelog is one plain table, not range-partitioned by run_date. Every write and the
 * common reads ("one run's rows", a row's history, the runs join) go by sync and run, which an
 * index serves without knowing the date; partitions would need creating ahead of each new day or
 * month (DDL with a strong lock on the parent, on the write path of every sync), would force
 * run_date into every unique key, and would make those reads visit every partition. Prune deletes
 * by an index on run_date instead of dropping partitions. A very large installation can still
 * convert the table to a partitioned one by hand: synclog's statements name only the columns.
 */
public final class PostgresLogSink extends StagedWarehouseSink {
  private final PgTarget target;
  private final PgReads reads;

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
    this(
        spark,
        target,
        new WarehouseNames(PostgresDialect.INSTANCE, schema, physical),
        writeChangelog);
  }

  private PostgresLogSink(
      SparkSession spark, PgTarget target, WarehouseNames names, boolean writeChangelog) {
    this(
        spark,
        target,
        names,
        new JdbcSession(target::connect, PostgresDialect.INSTANCE),
        writeChangelog);
  }

  private PostgresLogSink(
      SparkSession spark,
      PgTarget target,
      WarehouseNames names,
      JdbcSession jdbc,
      boolean writeChangelog) {
    super(
        names,
        jdbc,
        new PgSql(names),
        new PgLocks(names),
        new WarehouseCalls(
            names,
            (action, cause) -> Errors.postgresFailed(action, target.describe(), cause),
            (action, cause) -> Errors.postgresFailed(action, target.describe(), cause),
            e -> e instanceof SQLException s ? target.scrub(s) : e),
        target.describe(),
        writeChangelog);
    this.target = target;
    this.reads = new PgReads(spark, target, jdbc, names);
  }

  /** Serialises DDL on the schema: concurrent CREATE ... IF NOT EXISTS can otherwise collide. */
  @Override
  protected void beforeDdl(Connection c) throws SQLException {
    jdbc.query(
        c,
        SqlStatement.of("SELECT pg_advisory_xact_lock(hashtext(?))", "synclog:" + names.schema()));
  }

  @Override
  protected StagingTables staging(RunLock lock) {
    return new StagingTables(
        jdbc,
        names,
        (table, schema) ->
            List.of("DROP TABLE IF EXISTS " + table, PgDdl.createStaging(table, schema)),
        (rows, table) -> PgCopy.load(rows, target, table),
        lock.run());
  }

  @Override
  protected Dataset<Row> readSnapshot(String syncId, boolean splits) throws SQLException {
    return reads.snapshot(syncId, splits);
  }

  @Override
  protected Dataset<Row> readPlan(RunLock lock) throws SQLException {
    return reads.plan(lock.run());
  }
}
