package io.synclog.sink.warehouse;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;

import io.synclog.log.LogTables;
import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import io.synclog.sink.PruneScope;
import io.synclog.sink.RunLock;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The statements a SQL warehouse sink issues, as {@link SqlStatement}s: built here from the names
 * and the dialect, executed by {@link JdbcSession}. Values are always bound parameters.
 */
public class WarehouseSql {
  protected final WarehouseNames names;
  protected final Dialect d;

  public WarehouseSql(WarehouseNames names) {
    this.names = names;
    this.d = names.dialect();
  }

  protected String q(String logical) {
    return names.qualified(logical);
  }

  protected String c(String column) {
    return d.column(column);
  }

  protected String bySyncAndRun() {
    return c(SYNC_ID) + " = ? AND " + c(SYNC_RUN_ID) + " = ?";
  }

  // ---- plans and commit --------------------------------------------------------------------

  /** Replaces the sync's stored plan with the staged one (after the lock check). */
  public List<SqlStatement> storePlan(RunLock lock, String staged, StructType rows) {
    return List.of(
        SqlStatement.of(
            "DELETE FROM " + q(WarehouseNames.PLANS) + " WHERE " + c(SYNC_ID) + " = ?",
            lock.syncId()),
        SqlStatement.of(insertSelect(WarehouseNames.PLANS, staged, rows)));
  }

  /**
   * The commit's statements after the lock check, in order: the run's changelog rows replaced (so a
   * rerun repairs rather than duplicates), the sync's snapshot replaced, the runs row upserted.
   *
   * @param changelog the staged changelog table, or null when the changelog is disabled
   */
  public List<SqlStatement> commit(
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
      s.add(SqlStatement.of(insertSelect("changelog", changelog, changelogRows)));
    }
    s.add(
        SqlStatement.of(
            "DELETE FROM " + q("snapshot") + " WHERE " + c(SYNC_ID) + " = ?", lock.syncId()));
    s.add(SqlStatement.of(insertSelect("snapshot", snapshot, snapshotRows)));
    s.add(upsertRun(run));
    return s;
  }

  /**
   * {@code INSERT INTO t (cols) SELECT cols FROM staging}, reading {@code fields} as the dialect
   * says, and copying its exact text to {@code fields_text} where the snapshot keeps one.
   */
  public String insertSelect(String logical, String staging, StructType rows) {
    boolean text = logical.equals("snapshot") && d.fieldsTextType() != null;
    List<String> into = new ArrayList<>();
    List<String> select = new ArrayList<>();
    for (StructField f : rows.fields()) {
      String col = c(f.name());
      into.add(col);
      select.add(f.name().equals(FIELDS) ? d.stagedFields(logical, col) : col);
      if (f.name().equals(FIELDS) && text) {
        into.add(c(WarehouseDdl.FIELDS_TEXT));
        select.add(col);
      }
    }
    return "INSERT INTO "
        + q(logical)
        + " ("
        + String.join(", ", into)
        + ") SELECT "
        + String.join(", ", select)
        + " FROM "
        + staging;
  }

  /** Inserts the run's row, or overwrites it when an earlier attempt got that far: a MERGE. */
  public SqlStatement upsertRun(RunRecord run) {
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
      source.add((ts ? d.timestampParam() : "?") + " AS " + col);
      params.add(ts ? d.timestamp(((Timestamp) v).toInstant()) : v);
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

  public SqlStatement recordedRun(SyncRun run) {
    List<String> cols = new ArrayList<>();
    for (String f : LogTables.runsSchema().fieldNames()) {
      cols.add(c(f));
    }
    return SqlStatement.of(
        "SELECT " + String.join(", ", cols) + " FROM " + q("runs") + " WHERE " + bySyncAndRun(),
        run.syncId(),
        run.runId());
  }

  public SqlStatement lastModelSchema(String syncId) {
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

  /** How many runs the sync has recorded, and when the latest was: {@code commitMark}. */
  public SqlStatement commitMark(String syncId) {
    return SqlStatement.of(
        "SELECT COUNT(*), MAX("
            + c("recorded_at")
            + ") FROM "
            + q("runs")
            + " WHERE "
            + c(SYNC_ID)
            + " = ?",
        syncId);
  }

  public SqlStatement schemaExists() {
    return SqlStatement.of(d.schemaExistsQuery(), names.schema());
  }

  public SqlStatement hasColumn(String logical, String column) {
    return SqlStatement.of(
        "SELECT 1 FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND"
            + " COLUMN_NAME = ?",
        names.schema(),
        names.table(logical),
        d.fold(column));
  }

  // ---- prune -------------------------------------------------------------------------------

  /**
   * The condition on the one sync pruned, {@code AND sync_id = ?} or {@code WHERE sync_id = ?}, its
   * parameter added; "" when every sync is.
   *
   * @param keyword the word before the condition: "AND" or "WHERE"
   */
  protected String syncIs(PruneScope scope, String keyword, List<Object> params) {
    if (scope.sync().isEmpty()) {
      return "";
    }
    params.add(scope.syncId());
    return " " + keyword + " " + c(SYNC_ID) + " = ?";
  }

  /**
   * Changelog rows of the scope's syncs dated before the cutoff's UTC date whose run has no runs
   * row. Run after {@link #pruneRuns}: the runs it keeps (each sync's latest) keep their rows.
   */
  public SqlStatement pruneChangelog(Instant cutoff, PruneScope scope) {
    String changelog = d.quote(names.table("changelog")) + ".";
    List<Object> params = new ArrayList<>();
    params.add(java.sql.Date.valueOf(LocalDate.ofInstant(cutoff, ZoneOffset.UTC)));
    return new SqlStatement(
        "DELETE FROM "
            + q("changelog")
            + " WHERE "
            + c("run_date")
            + " < ?"
            + syncIs(scope, "AND", params)
            + " AND NOT EXISTS (SELECT 1 FROM "
            + q("runs")
            + " k WHERE k."
            + c(SYNC_ID)
            + " = "
            + changelog
            + c(SYNC_ID)
            + " AND k."
            + c(SYNC_RUN_ID)
            + " = "
            + changelog
            + c(SYNC_RUN_ID)
            + ")",
        params);
  }

  /** Runs of the scope's syncs older than the cutoff, except each sync's latest. */
  public SqlStatement pruneRuns(Instant cutoff, PruneScope scope) {
    String started = c("started_at");
    List<Object> params = new ArrayList<>();
    String sync = syncIs(scope, "WHERE", params);
    params.add(d.timestamp(cutoff));
    return new SqlStatement(
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
            + sync
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
            + d.timestampParam(),
        params);
  }
}
