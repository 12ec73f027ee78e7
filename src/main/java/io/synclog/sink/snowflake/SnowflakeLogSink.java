package io.synclog.sink.snowflake;

import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static org.apache.spark.sql.functions.col;

import io.synclog.log.LogTables;
import io.synclog.sink.RunLock;
import io.synclog.sink.warehouse.StagedWarehouseSink;
import io.synclog.sink.warehouse.StagingTables;
import io.synclog.sink.warehouse.WarehouseCalls;
import io.synclog.sink.warehouse.WarehouseNames;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The three tables (and the plan and lock tables) in a Snowflake schema: the shared warehouse
 * protocol ({@link StagedWarehouseSink}), with the run's rows bulk-loaded by the connector (staged
 * files and COPY INTO) into per-run TRANSIENT staging tables and read back through it. Only DML
 * runs inside the commit's transaction: Snowflake commits around every DDL statement, so the
 * staging tables are created before and dropped after, however the commit ends.
 *
 * <p>Connector pre/post actions are not used for the swap: they are split on ';' and formatted with
 * '%s', and they share the COPY's transaction only on one connector path.
 */
public final class SnowflakeLogSink extends StagedWarehouseSink {
  private static final String HINT =
      "Check target.url, target.user and target.auth, that target.warehouse is running, and that"
          + " the role may create and write tables in target.database.target.schema.";

  private final SnowflakeTransfer transfer;
  private final SnowflakeSql statements;

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
    this(where, scrub, jdbc, transfer, new SnowflakeNames(schema, physical), writeChangelog);
  }

  private SnowflakeLogSink(
      String where,
      UnaryOperator<String> scrub,
      SnowflakeJdbc jdbc,
      SnowflakeTransfer transfer,
      SnowflakeNames names,
      boolean writeChangelog) {
    this(where, scrub, jdbc, transfer, names, new SnowflakeSql(names), writeChangelog);
  }

  private SnowflakeLogSink(
      String where,
      UnaryOperator<String> scrub,
      SnowflakeJdbc jdbc,
      SnowflakeTransfer transfer,
      SnowflakeNames names,
      SnowflakeSql sql,
      boolean writeChangelog) {
    super(
        names,
        jdbc,
        sql,
        new SnowflakeLocks(names),
        WarehouseCalls.of(names, where, HINT, e -> scrubbed(e, scrub)),
        where,
        writeChangelog);
    this.transfer = transfer;
    this.statements = sql;
  }

  /** The sink named by {@code target.kind=snowflake} and the target.* keys. */
  public static SnowflakeLogSink open(
      SparkSession spark,
      SnowflakeSettings settings,
      String schema,
      Map<String, String> physical,
      boolean writeChangelog) {
    return new SnowflakeLogSink(
        settings.describe(),
        settings::scrub,
        new SnowflakeJdbc(new SnowflakeConnections(settings)),
        SnowflakeTransfer.connector(spark, settings),
        schema,
        physical,
        writeChangelog);
  }

  @Override
  protected StagingTables staging(RunLock lock) {
    return new StagingTables(
        jdbc,
        names,
        SnowflakeDdl::createStaging,
        (rows, table) -> transfer.load(rows, table),
        lock.run());
  }

  @Override
  protected Dataset<Row> readSnapshot(String syncId, boolean splits) {
    StructType schema = LogTables.snapshotSchema(true);
    Column mine = col(SnowflakeNames.folded(SYNC_ID)).equalTo(syncId);
    return read(statements.selectAll("snapshot", schema, true, splits), mine, schema);
  }

  @Override
  protected Dataset<Row> readPlan(RunLock lock) {
    StructType schema = LogTables.planSchema();
    Column mine =
        col(SnowflakeNames.folded(SYNC_ID))
            .equalTo(lock.syncId())
            .and(col(SnowflakeNames.folded(SYNC_RUN_ID)).equalTo(lock.runId()));
    return read(statements.selectAll(WarehouseNames.PLANS, schema, false, true), mine, schema);
  }

  /** A query's rows filtered (pushed down), with the Spark schema's names and types. */
  private Dataset<Row> read(String query, Column filter, StructType schema) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      cols.add(col(SnowflakeNames.folded(f.name())).cast(f.dataType()).as(f.name()));
    }
    return transfer.query(query).where(filter).select(cols.toArray(new Column[0]));
  }

  /** The error with any secret removed from its message (the cause chain is dropped then). */
  private static Throwable scrubbed(Exception e, UnaryOperator<String> scrub) {
    String m = String.valueOf(e.getMessage());
    String clean = scrub.apply(m);
    return clean.equals(m) ? e : new SQLException(clean);
  }
}
