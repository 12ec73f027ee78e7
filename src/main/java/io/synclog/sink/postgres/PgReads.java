package io.synclog.sink.postgres;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static org.apache.spark.sql.functions.col;

import io.synclog.log.LogTables;
import io.synclog.log.SyncRun;
import io.synclog.sink.warehouse.JdbcSession;
import io.synclog.sink.warehouse.SqlStatement;
import io.synclog.sink.warehouse.WarehouseDdl;
import io.synclog.sink.warehouse.WarehouseNames;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * Reads the snapshot and the plan back into Spark through its JDBC source. The sync and run are
 * Spark filters, which Spark pushes down as bound literals of its Postgres dialect; large reads are
 * split by a hash of row_id so the executors read in parallel.
 */
final class PgReads {
  /** Rows per parallel read of a large snapshot or plan. */
  static final long ROWS_PER_READ = 250_000;

  private final SparkSession spark;
  private final PgTarget target;
  private final JdbcSession jdbc;
  private final WarehouseNames names;

  PgReads(SparkSession spark, PgTarget target, JdbcSession jdbc, WarehouseNames names) {
    this.spark = spark;
    this.target = target;
    this.jdbc = jdbc;
    this.names = names;
  }

  /** The sync's snapshot in the table's Spark schema (with split_group), fields as written. */
  Dataset<Row> snapshot(String syncId, boolean splits) throws SQLException {
    List<String> select = new ArrayList<>();
    for (StructField f : LogTables.snapshotSchema(true).fields()) {
      if (f.name().equals(FIELDS)) {
        select.add(
            PostgresDialect.INSTANCE.quote(WarehouseDdl.FIELDS_TEXT)
                + " AS "
                + PostgresDialect.INSTANCE.quote(FIELDS));
      } else if (f.name().equals(SPLIT_GROUP) && !splits) {
        select.add("CAST(NULL AS text) AS " + PostgresDialect.INSTANCE.quote(SPLIT_GROUP));
      } else {
        select.add(PostgresDialect.INSTANCE.quote(f.name()));
      }
    }
    long rows = count("snapshot", "sync_id = ?", syncId);
    return read("snapshot", select, rows).where(col(SYNC_ID).equalTo(syncId));
  }

  /** The run's stored plan; {@code json} keeps fields' text exactly as stored. */
  Dataset<Row> plan(SyncRun run) throws SQLException {
    List<String> select = new ArrayList<>();
    for (StructField f : LogTables.planSchema().fields()) {
      select.add(
          f.name().equals(FIELDS)
              ? PostgresDialect.INSTANCE.quote(FIELDS)
                  + "::text AS "
                  + PostgresDialect.INSTANCE.quote(FIELDS)
              : PostgresDialect.INSTANCE.quote(f.name()));
    }
    long rows =
        count(WarehouseNames.PLANS, "sync_id = ? AND sync_run_id = ?", run.syncId(), run.runId());
    Column mine = col(SYNC_ID).equalTo(run.syncId()).and(col(SYNC_RUN_ID).equalTo(run.runId()));
    return read(WarehouseNames.PLANS, select, rows).where(mine);
  }

  private long count(String logical, String where, Object... params) throws SQLException {
    SqlStatement count =
        SqlStatement.of(
            "SELECT count(*) FROM " + names.qualified(logical) + " WHERE " + where, params);
    return (Long) jdbc.autoCommit(c -> jdbc.query(c, count)).get(0)[0];
  }

  private Dataset<Row> read(String logical, List<String> select, long rows) {
    String query =
        "(SELECT "
            + String.join(", ", select)
            + " FROM "
            + names.qualified(logical)
            + ") AS synclog_read";
    int parts = (int) Math.min(64, Math.max(1, (rows + ROWS_PER_READ - 1) / ROWS_PER_READ));
    if (parts == 1) {
      return spark
          .read()
          .format("jdbc")
          .options(target.sparkOptions())
          .option("dbtable", query)
          .load();
    }
    return spark
        .read()
        .jdbc(
            target.sparkOptions().get("url"),
            query,
            hashSplits("row_id", parts),
            target.sparkProperties());
  }

  /** One predicate per part, together covering every row once (null keys in part 0). */
  static String[] hashSplits(String quotedColumn, int parts) {
    String[] out = new String[parts];
    for (int i = 0; i < parts; i++) {
      // hashtext is int4; widen before abs() so abs(-2^31) cannot overflow
      String p = "mod(abs(hashtext(" + quotedColumn + "::text)::bigint), " + parts + ") = " + i;
      out[i] = i == 0 ? "(" + p + " OR " + quotedColumn + " IS NULL)" : p;
    }
    return out;
  }
}
