package io.synclog.sink.delta;

import static io.synclog.plan.Columns.RUN_DATE;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;

import io.synclog.log.SyncRun;
import io.synclog.sink.PruneScope;
import io.synclog.sql.SparkSql;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark SQL statements the Delta sink runs, as text: DDL, the lock's MERGE, UPDATE and DELETE,
 * history and time travel. Plain SQL works the same on a table addressed by path ({@code
 * delta.`path`}) and by catalog name, and on classic and Spark Connect sessions, where Delta's
 * Scala table API is not available. Every value is a quoted literal; every name comes from {@link
 * DeltaTables#sqlName}.
 */
final class DeltaStatements {
  private DeltaStatements() {}

  public static String createTable(
      String table,
      StructType schema,
      DeltaFeatures.Layout layout,
      Map<String, String> properties) {
    StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table);
    sql.append(" (").append(schema.toDDL()).append(") USING DELTA");
    if (!layout.columns().isEmpty()) {
      sql.append(layout.clustered() ? " CLUSTER BY (" : " PARTITIONED BY (")
          .append(
              layout.columns().stream()
                  .map(DeltaStatements::quote)
                  .collect(Collectors.joining(", ")))
          .append(")");
    }
    if (!properties.isEmpty()) {
      sql.append(" TBLPROPERTIES (")
          .append(
              properties.entrySet().stream()
                  .map(e -> SparkSql.literal(e.getKey()) + " = " + SparkSql.literal(e.getValue()))
                  .collect(Collectors.joining(", ")))
          .append(")");
    }
    return sql.toString();
  }

  /** The newest version of a table, in the first column's {@code version}. */
  public static String latestVersion(String table) {
    return "DESCRIBE HISTORY " + table + " LIMIT 1";
  }

  /** A table's detail: one row with, among others, its {@code properties} map. */
  public static String detail(String table) {
    return "DESCRIBE DETAIL " + table;
  }

  /** One sync's rows of a table as it was at a version. */
  public static String syncAsOf(String table, long version, String syncId) {
    return "SELECT * FROM "
        + table
        + " VERSION AS OF "
        + version
        + " WHERE "
        + SparkSql.eq(SYNC_ID, syncId);
  }

  /**
   * Claims a sync: inserts the lock row unless the sync already has one. The sync_id literal in the
   * condition keeps the statement inside the sync's partition, so claims of two syncs do not
   * conflict.
   */
  public static String claim(
      String locks,
      SyncRun run,
      String phase,
      long baseVersion,
      Instant startedAt,
      Instant claimedAt) {
    return "MERGE INTO "
        + locks
        + " t USING (SELECT "
        + SparkSql.literal(run.syncId())
        + " AS sync_id, "
        + SparkSql.literal(run.runId())
        + " AS sync_run_id, "
        + SparkSql.literal(phase)
        + " AS phase, "
        + "CAST("
        + baseVersion
        + " AS BIGINT) AS base_version, "
        + timestamp(startedAt)
        + " AS started_at, "
        + timestamp(claimedAt)
        + " AS claimed_at, "
        + "CAST(NULL AS STRING) AS model_schema) s"
        + " ON "
        + SparkSql.eq("t." + SYNC_ID, run.syncId())
        + " AND t.sync_id = s.sync_id"
        + " WHEN NOT MATCHED THEN INSERT *";
  }

  public static String markPlanned(String locks, SyncRun run, String phase, String modelSchema) {
    return "UPDATE "
        + locks
        + " SET phase = "
        + SparkSql.literal(phase)
        + ", model_schema = "
        + SparkSql.literal(modelSchema)
        + " WHERE "
        + runPredicate(run);
  }

  public static String delete(String table, String predicate) {
    return "DELETE FROM " + table + " WHERE " + predicate;
  }

  /** {@code sync_id = .. AND sync_run_id = ..}. */
  public static String runPredicate(SyncRun run) {
    return SparkSql.eq(SYNC_ID, run.syncId()) + " AND " + SparkSql.eq(SYNC_RUN_ID, run.runId());
  }

  /** The changelog rows of one run: its date partition, sync and run. */
  public static String changelogRun(LocalDate runDate, SyncRun run) {
    return SparkSql.eq(RUN_DATE, runDate.toString()) + " AND " + runPredicate(run);
  }

  /** Changelog rows of runs before the cutoff's UTC date. */
  public static String changelogBefore(Instant cutoff) {
    return RUN_DATE
        + " < "
        + SparkSql.literal(LocalDate.ofInstant(cutoff, ZoneOffset.UTC).toString());
  }

  /**
   * The predicates of prune's changelog deletes, run after {@link #pruneRuns}: the rows of the
   * scope's syncs dated before the cutoff's UTC date, except those of the runs prune kept (each
   * sync's latest; a run's rows are dated the UTC date it started on). The first predicate takes
   * the dates no kept run started on and, when every sync is pruned, names only {@code run_date}:
   * Delta drops those dates' files without reading them. The second, only when a kept run started
   * before the cutoff's date, takes the kept runs' dates and leaves out the kept runs' rows.
   *
   * @param kept the runs older than the cutoff that prune kept, and the UTC date each started on
   */
  public static List<String> pruneChangelog(
      Instant cutoff, PruneScope scope, Map<SyncRun, LocalDate> kept) {
    LocalDate before = LocalDate.ofInstant(cutoff, ZoneOffset.UTC);
    String sync = scope.sync().map(id -> " AND " + SparkSql.eq(SYNC_ID, id)).orElse("");
    SortedSet<LocalDate> keptDates = new TreeSet<>();
    List<String> keptRuns = new ArrayList<>();
    kept.forEach(
        (run, date) -> {
          if (date.isBefore(before)) {
            keptDates.add(date);
            keptRuns.add(
                "(" + SparkSql.literal(run.syncId()) + ", " + SparkSql.literal(run.runId()) + ")");
          }
        });
    List<String> predicates = new ArrayList<>();
    if (keptDates.isEmpty()) {
      predicates.add(changelogBefore(cutoff) + sync);
      return predicates;
    }
    String dates =
        keptDates.stream()
            .map(d -> "DATE " + SparkSql.literal(d.toString()))
            .collect(Collectors.joining(", "));
    predicates.add(changelogBefore(cutoff) + sync + " AND " + RUN_DATE + " NOT IN (" + dates + ")");
    predicates.add(
        RUN_DATE
            + " IN ("
            + dates
            + ")"
            + sync
            + " AND ("
            + SYNC_ID
            + ", "
            + SYNC_RUN_ID
            + ") NOT IN ("
            + keptRuns.stream().sorted().collect(Collectors.joining(", "))
            + ")");
    return predicates;
  }

  /**
   * Deletes the runs of the scope's syncs started before the cutoff, except each sync's latest run.
   */
  public static String pruneRuns(String runs, Instant cutoff, PruneScope scope) {
    String sync = scope.sync().map(id -> SparkSql.eq(SYNC_ID, id)).orElse(null);
    return "MERGE INTO "
        + runs
        + " t USING (SELECT sync_id, sync_run_id FROM (SELECT sync_id,"
        + " sync_run_id, started_at, row_number() OVER (PARTITION BY sync_id ORDER BY started_at"
        + " DESC, recorded_at DESC) AS newest FROM "
        + runs
        + (sync == null ? "" : " WHERE " + sync)
        + ") WHERE newest > 1 AND started_at < "
        + timestamp(cutoff)
        + ") s ON "
        + (sync == null ? "" : "t." + sync + " AND ")
        + "t.sync_id = s.sync_id AND t.sync_run_id = s.sync_run_id"
        + " WHEN MATCHED THEN DELETE";
  }

  /** A time zone-free timestamp literal, to the microsecond. */
  public static String timestamp(Instant instant) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    return "timestamp_micros(" + micros + ")";
  }

  /** A name quoted for Spark SQL. */
  public static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
