package io.synclog.sink.snowflake;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;

import io.synclog.log.LogTables;
import io.synclog.log.RunRecord;
import io.synclog.sink.RunLock;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Every DML statement the sink issues, as {@link SqlStatement}s: built here, executed by {@link
 * SnowflakeJdbc}. Values are bound parameters; timestamps travel as ISO text through {@code
 * TO_TIMESTAMP_TZ} so no driver or session time zone setting can shift them.
 */
final class SnowflakeSql {
  static final String TS_FORMAT = "YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM";
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSxxx").withZone(ZoneOffset.UTC);

  private final SnowflakeNames names;

  SnowflakeSql(SnowflakeNames names) {
    this.names = names;
  }

  static String timestamp(Instant t) {
    return TS.format(t);
  }

  static String tsParam() {
    return "TO_TIMESTAMP_TZ(?, '" + TS_FORMAT + "')";
  }

  private String q(String logical) {
    return names.qualified(logical);
  }

  static String c(String column) {
    return SnowflakeNames.quote(column);
  }

  static String bySyncAndRun() {
    return c(SYNC_ID) + " = ? AND " + c(SYNC_RUN_ID) + " = ?";
  }

  // ---- plans and commit --------------------------------------------------------------------

  /** Replaces the sync's stored plan with the staged one (after {@link #lockCheck}). */
  List<SqlStatement> storePlan(RunLock lock, String staged, StructType rows) {
    return List.of(
        SqlStatement.of(
            "DELETE FROM " + q(SnowflakeNames.PLANS) + " WHERE " + c(SYNC_ID) + " = ?",
            lock.syncId()),
        SqlStatement.of(insertSelect(q(SnowflakeNames.PLANS), staged, rows, false)));
  }

  /**
   * The commit's statements after {@link #lockCheck}, in order: the run's changelog rows replaced
   * (so a rerun repairs rather than duplicates), the sync's snapshot replaced, the runs row merged.
   *
   * @param changelog the staged changelog table, or null when the changelog is disabled
   */
  List<SqlStatement> commit(
      RunLock lock,
      String changelog,
      StructType changelogRows,
      String snapshot,
      StructType snapshotRows,
      RunRecord run) {
    List<SqlStatement> s = new ArrayList<>();
    if (changelog != null) {
      s.add(
          SqlStatement.of(
              "DELETE FROM " + q("changelog") + " WHERE " + bySyncAndRun(),
              lock.syncId(),
              lock.runId()));
      s.add(SqlStatement.of(insertSelect(q("changelog"), changelog, changelogRows, true)));
    }
    s.add(
        SqlStatement.of(
            "DELETE FROM " + q("snapshot") + " WHERE " + c(SYNC_ID) + " = ?", lock.syncId()));
    s.add(SqlStatement.of(insertSelect(q("snapshot"), snapshot, snapshotRows, true)));
    s.add(mergeRun(run));
    return s;
  }

  /** {@code INSERT INTO t (cols) SELECT cols FROM staging}, parsing fields when asked. */
  static String insertSelect(String target, String staging, StructType rows, boolean parseJson) {
    List<String> into = new ArrayList<>();
    List<String> select = new ArrayList<>();
    for (StructField f : rows.fields()) {
      String col = c(f.name());
      into.add(col);
      select.add(parseJson && f.name().equals(FIELDS) ? "PARSE_JSON(" + col + ")" : col);
    }
    return "INSERT INTO "
        + target
        + " ("
        + String.join(", ", into)
        + ") SELECT "
        + String.join(", ", select)
        + " FROM "
        + staging;
  }

  /** Inserts the run's row, or overwrites it when an earlier attempt got that far. */
  SqlStatement mergeRun(RunRecord run) {
    StructType schema = LogTables.runsSchema();
    Row row = LogTables.runRow(run);
    List<String> source = new ArrayList<>();
    List<String> updates = new ArrayList<>();
    List<String> into = new ArrayList<>();
    List<String> values = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      StructField f = schema.fields()[i];
      String col = c(f.name());
      boolean ts = f.dataType().equals(DataTypes.TimestampType);
      Object v = row.get(i);
      source.add((ts ? tsParam() : "?") + " AS " + col);
      params.add(ts ? timestamp(((Timestamp) v).toInstant()) : v);
      if (!f.name().equals(SYNC_ID) && !f.name().equals(SYNC_RUN_ID)) {
        updates.add(col + " = s." + col);
      }
      into.add(col);
      values.add("s." + col);
    }
    String on =
        "t."
            + c(SYNC_ID)
            + " = s."
            + c(SYNC_ID)
            + " AND t."
            + c(SYNC_RUN_ID)
            + " = s."
            + c(SYNC_RUN_ID);
    return new SqlStatement(
        "MERGE INTO "
            + q("runs")
            + " t USING (SELECT "
            + String.join(", ", source)
            + ") s ON "
            + on
            + " WHEN MATCHED THEN UPDATE SET "
            + String.join(", ", updates)
            + " WHEN NOT MATCHED THEN INSERT ("
            + String.join(", ", into)
            + ") VALUES ("
            + String.join(", ", values)
            + ")",
        params);
  }

  // ---- reads -------------------------------------------------------------------------------

  SqlStatement recordedRun(String syncId, String runId) {
    List<String> cols = new ArrayList<>();
    for (String f : LogTables.runsSchema().fieldNames()) {
      cols.add(c(f));
    }
    return SqlStatement.of(
        "SELECT " + String.join(", ", cols) + " FROM " + q("runs") + " WHERE " + bySyncAndRun(),
        syncId,
        runId);
  }

  SqlStatement lastModelSchema(String syncId) {
    return SqlStatement.of(
        "SELECT "
            + c("model_schema")
            + " FROM "
            + q("runs")
            + " WHERE "
            + c(SYNC_ID)
            + " = ? ORDER BY "
            + c("started_at")
            + " DESC, "
            + c("recorded_at")
            + " DESC LIMIT 1",
        syncId);
  }

  SqlStatement schemaExists() {
    return SqlStatement.of(
        "SELECT 1 FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = ?", names.schema());
  }

  SqlStatement hasColumn(String logical, String column) {
    return SqlStatement.of(
        "SELECT 1 FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND"
            + " COLUMN_NAME = ?",
        names.schema(),
        names.table(logical),
        SnowflakeNames.folded(column));
  }

  /**
   * A query over a table's columns in the Spark schema's order, {@code fields} given back as JSON
   * text, a missing split_group as NULL. The reader adds the sync/run filter, which the connector
   * pushes down.
   */
  String selectAll(String logical, StructType schema, boolean variantFields, boolean splits) {
    List<String> select = new ArrayList<>();
    for (StructField f : schema.fields()) {
      String col = c(f.name());
      if (f.name().equals(FIELDS) && variantFields) {
        select.add("TO_JSON(" + col + ") AS " + col);
      } else if (f.name().equals(io.synclog.plan.Columns.SPLIT_GROUP) && !splits) {
        select.add("CAST(NULL AS VARCHAR) AS " + col);
      } else {
        select.add(col);
      }
    }
    return "SELECT " + String.join(", ", select) + " FROM " + q(logical);
  }

  // ---- prune -------------------------------------------------------------------------------

  SqlStatement pruneChangelog(Instant cutoff) {
    return SqlStatement.of(
        "DELETE FROM " + q("changelog") + " WHERE " + c("run_date") + " < ?",
        java.sql.Date.valueOf(LocalDate.ofInstant(cutoff, ZoneOffset.UTC)));
  }

  /** Runs older than the cutoff, except each sync's latest. */
  SqlStatement pruneRuns(Instant cutoff) {
    String started = c("started_at");
    return SqlStatement.of(
        "DELETE FROM "
            + q("runs")
            + " r USING (SELECT "
            + c(SYNC_ID)
            + ", "
            + c(SYNC_RUN_ID)
            + ", ROW_NUMBER() OVER (PARTITION BY "
            + c(SYNC_ID)
            + " ORDER BY "
            + started
            + " DESC, "
            + c("recorded_at")
            + " DESC) AS NEWEST FROM "
            + q("runs")
            + ") o WHERE r."
            + c(SYNC_ID)
            + " = o."
            + c(SYNC_ID)
            + " AND r."
            + c(SYNC_RUN_ID)
            + " = o."
            + c(SYNC_RUN_ID)
            + " AND o.NEWEST > 1 AND r."
            + started
            + " < "
            + tsParam(),
        timestamp(cutoff));
  }
}
