package io.synclog.report;

import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.views.AuditQueries;
import io.synclog.views.ViewsJob;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code report}: reads the runs and changelog of one sync and writes a self-contained HTML page
 * (inline CSS, JavaScript and SVG; it opens offline) with its runs over time, failures by error
 * category, top failing rows, and rows entering and exiting per run. The numbers come from the same
 * queries as the views and notebooks ({@link AuditQueries}).
 */
public final class ReportJob {
  /** How many of the sync's latest runs a report covers unless told otherwise. */
  public static final int RUNS_DEFAULT = 30;

  /** How many failing rows the report lists. */
  static final int TOP_ROWS = 20;

  private ReportJob() {}

  /**
   * Writes the report of the latest {@code runs} runs of {@code syncId} to {@code output} (a file;
   * its folder is created) and prints one line saying where it is.
   */
  public static ReportData run(
      SparkSession spark,
      SyncConfig config,
      String syncId,
      int runs,
      Path output,
      PrintStream out) {
    ReportData data = collect(spark, config, syncId, runs);
    String html = ReportPage.render(data);
    try {
      Path parent = output.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(output, html, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Errors.badUsage("Cannot write the report to " + output + ": " + e.getMessage());
    }
    out.printf(
        "synclog: wrote the report of sync '%s' (%d run(s)) to %s%n",
        syncId, data.runs().size(), output.toAbsolutePath());
    return data;
  }

  /** Reads what the report shows: the latest {@code runs} runs of one sync. */
  public static ReportData collect(SparkSession spark, SyncConfig config, String syncId, int runs) {
    if (runs < 1) {
      throw Errors.badUsage("Cannot write a report of " + runs + " runs: use --runs 1 or more.");
    }
    Map<String, String> paths = ViewsJob.tablePaths(config);
    for (String table : List.of("sync_runs", "sync_changelog")) {
      if (!ViewsJob.exists(spark, paths.get(table))) {
        throw Errors.unreadableTable(
            paths.get(table),
            new IllegalStateException("no Delta table there (is it enabled in tables.enabled?)"));
      }
    }
    String sync = AuditQueries.literal(syncId);
    String runsOfSync = ofSync(paths.get("sync_runs"), sync, "");
    List<Row> latest =
        spark
            .sql(
                "SELECT r.sync_run_id, r.model_name, r.destination FROM "
                    + runsOfSync
                    + " r ORDER BY r.started_at DESC, r.sync_run_id DESC LIMIT "
                    + runs)
            .collectAsList();
    if (latest.isEmpty()) {
      throw Errors.badUsage(
          "Cannot write a report for sync '"
              + syncId
              + "': "
              + paths.get("sync_runs")
              + " holds no run of it. Check --sync.id and target.location.");
    }
    List<String> runIds = latest.stream().map(r -> r.getString(0)).toList();
    String inRuns =
        " AND sync_run_id IN ("
            + runIds.stream().map(AuditQueries::literal).collect(Collectors.joining(", "))
            + ")";
    String rules =
        "(" + AuditQueries.bind(AuditQueries.text(AuditQueries.ERROR_RULES), Map.of()) + ")";
    // Whole history: the running member count needs every run. Window: the report's runs only.
    Map<String, String> all = relations(paths, sync, "", rules);
    Map<String, String> window = relations(paths, sync, inRuns, rules);

    return new ReportData(
        syncId,
        latest.get(0).getString(1),
        latest.get(0).getString(2),
        Instant.now(),
        paths.get("sync_runs").replaceAll("/[^/]*$", ""),
        runPoints(query(spark, "runs_over_time", all), runIds),
        categories(query(spark, "errors_by_category", window)),
        topRows(query(spark, "top_failing_rows", window)),
        membership(query(spark, "membership_history", all), runIds));
  }

  private static String ofSync(String path, String syncLiteral, String filter) {
    return "(SELECT * FROM "
        + AuditQueries.deltaPath(path)
        + " WHERE sync_id = "
        + syncLiteral
        + filter
        + ")";
  }

  private static Map<String, String> relations(
      Map<String, String> paths, String sync, String filter, String rules) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("sync_changelog", ofSync(paths.get("sync_changelog"), sync, filter));
    out.put("sync_runs", ofSync(paths.get("sync_runs"), sync, filter));
    out.put(AuditQueries.ERROR_RULES, rules);
    return out;
  }

  private static List<Row> query(SparkSession spark, String name, Map<String, String> relations) {
    spark.sparkContext().setJobDescription("synclog: report (" + name + ")");
    try {
      return spark.sql(AuditQueries.bind(AuditQueries.text(name), relations)).collectAsList();
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  /** Sums each run's operations; oldest run first. */
  private static List<ReportData.RunPoint> runPoints(List<Row> rows, List<String> runIds) {
    Map<String, long[]> sums = new LinkedHashMap<>();
    Map<String, Row> first = new LinkedHashMap<>();
    for (Row r : rows) {
      String runId = r.getAs("sync_run_id");
      if (!runIds.contains(runId)) {
        continue;
      }
      first.putIfAbsent(runId, r);
      long[] s = sums.computeIfAbsent(runId, k -> new long[5]);
      String[] columns = {"planned", "attempted", "succeeded", "failed", "aborted"};
      for (int i = 0; i < columns.length; i++) {
        s[i] += r.<Long>getAs(columns[i]);
      }
    }
    List<ReportData.RunPoint> out = new ArrayList<>();
    sums.forEach(
        (runId, s) ->
            out.add(
                new ReportData.RunPoint(
                    runId,
                    instant(first.get(runId).getAs("started_at")),
                    first.get(runId).getAs("run_status"),
                    s[0],
                    s[1],
                    s[2],
                    s[3],
                    s[4])));
    return out;
  }

  private static List<ReportData.Category> categories(List<Row> rows) {
    return rows.stream()
        .map(
            r ->
                new ReportData.Category(
                    r.getAs("category"),
                    r.<Long>getAs("failures"),
                    r.<Long>getAs("failed_rows"),
                    r.getAs("example_reason")))
        .toList();
  }

  private static List<ReportData.FailingRow> topRows(List<Row> rows) {
    return rows.stream()
        .limit(TOP_ROWS)
        .map(
            r ->
                new ReportData.FailingRow(
                    r.getAs("row_id"),
                    r.<Long>getAs("failures"),
                    r.<Long>getAs("failed_runs"),
                    r.getAs("latest_reason"),
                    instant(r.getAs("last_failed_at"))))
        .toList();
  }

  private static List<ReportData.Membership> membership(List<Row> rows, List<String> runIds) {
    return rows.stream()
        .filter(r -> runIds.contains(r.<String>getAs("sync_run_id")))
        .map(
            r ->
                new ReportData.Membership(
                    r.getAs("sync_run_id"),
                    instant(r.getAs("started_at")),
                    r.<Long>getAs("entered"),
                    r.<Long>getAs("exited"),
                    r.<Long>getAs("added_to_destination"),
                    r.<Long>getAs("removed_from_destination"),
                    r.<Long>getAs("members_after_run")))
        .toList();
  }

  private static Instant instant(Object value) {
    return value == null ? null : ((Timestamp) value).toInstant();
  }
}
