package io.synclog.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders {@link ReportData} as one self-contained HTML page. The numbers are written twice: as
 * tables (readable without JavaScript) and as JSON that the page's inline script draws as SVG
 * charts. Nothing is fetched: no external script, style, font or image.
 */
public final class ReportPage {
  private ReportPage() {}

  public static String render(ReportData data) {
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>synclog report: sync ")
        .append(escape(data.syncId()))
        .append("</title>\n<style>\n")
        .append(ReportAssets.CSS)
        .append("</style>\n</head>\n<body>\n");
    header(html, data);
    section(
        html,
        "runs",
        "Runs over time",
        "Rows planned, succeeded and failed in each run (all operations).",
        table(
            List.of(
                "run",
                "started",
                "status",
                "planned",
                "attempted",
                "succeeded",
                "failed",
                "aborted"),
            data.runs().stream()
                .map(
                    r ->
                        List.<Object>of(
                            r.runId(),
                            time(r.startedAt()),
                            r.status(),
                            r.planned(),
                            r.attempted(),
                            r.succeeded(),
                            r.failed(),
                            r.aborted()))
                .toList()));
    section(
        html,
        "categories",
        "Failures by category",
        "Failed operations in these runs, put in categories by the error rules (sql/spark/"
            + "error_rules.sql); 'uncategorized' marks reasons no rule knows.",
        table(
            List.of("category", "failures", "rows", "example reason"),
            data.categories().stream()
                .map(
                    c ->
                        List.<Object>of(
                            c.category(), c.failures(), c.failedRows(), text(c.exampleReason())))
                .toList()));
    section(
        html,
        "rows",
        "Top failing rows",
        "The rows that failed most often in these runs, with their latest reason.",
        table(
            List.of("row_id", "failures", "runs failed", "latest reason", "last failed"),
            data.topRows().stream()
                .map(
                    r ->
                        List.<Object>of(
                            r.rowId(),
                            r.failures(),
                            r.failedRuns(),
                            text(r.latestReason()),
                            time(r.lastFailedAt())))
                .toList()));
    section(
        html,
        "membership",
        "Rows entering and exiting",
        "Rows that entered (added) and exited (removed) the model in each run; a retry counts"
            + " once. Members: rows held by the destination after the run.",
        table(
            List.of("run", "started", "entered", "exited", "received", "removed", "members"),
            data.membership().stream()
                .map(
                    m ->
                        List.<Object>of(
                            m.runId(),
                            time(m.startedAt()),
                            m.entered(),
                            m.exited(),
                            m.addedToDestination(),
                            m.removedFromDestination(),
                            m.membersAfterRun()))
                .toList()));
    html.append("<footer>Written by synclog at ")
        .append(escape(time(data.generatedAt())))
        .append(" from the tables under <code>")
        .append(escape(data.source()))
        .append("</code>. This page is self-contained: it opens offline.</footer>\n")
        .append("<script type=\"application/json\" id=\"report-data\">")
        .append(json(data))
        .append("</script>\n<script>\n")
        .append(ReportAssets.SCRIPT)
        .append("</script>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void header(StringBuilder html, ReportData data) {
    ReportData.RunPoint first = data.runs().isEmpty() ? null : data.runs().get(0);
    ReportData.RunPoint last =
        data.runs().isEmpty() ? null : data.runs().get(data.runs().size() - 1);
    html.append("<header>\n<h1>Sync <code>")
        .append(escape(data.syncId()))
        .append("</code></h1>\n<p class=\"meta\">Model <b>")
        .append(escape(text(data.modelName())))
        .append("</b> to <b>")
        .append(escape(text(data.destination())))
        .append("</b> &middot; the latest ")
        .append(data.runs().size())
        .append(" run(s)");
    if (first != null) {
      html.append(", ")
          .append(escape(time(first.startedAt())))
          .append(" to ")
          .append(escape(time(last.startedAt())));
    }
    html.append("</p>\n</header>\n");
  }

  private static void section(
      StringBuilder html, String id, String title, String intro, String table) {
    html.append("<section id=\"")
        .append(id)
        .append("\">\n<h2>")
        .append(escape(title))
        .append("</h2>\n<p class=\"intro\">")
        .append(escape(intro))
        .append("</p>\n<figure class=\"chart\" id=\"chart-")
        .append(id)
        .append(
            "\"><noscript>The chart needs JavaScript; the table below holds the same numbers."
                + "</noscript></figure>\n<details")
        .append(id.equals("rows") || id.equals("categories") ? " open" : "")
        .append("><summary>Numbers</summary>\n")
        .append(table)
        .append("</details>\n</section>\n");
  }

  private static String table(List<String> columns, List<List<Object>> rows) {
    if (rows.isEmpty()) {
      return "<p class=\"empty\">Nothing to show for these runs.</p>\n";
    }
    StringBuilder t = new StringBuilder("<table>\n<thead><tr>");
    for (String c : columns) {
      t.append("<th>").append(escape(c)).append("</th>");
    }
    t.append("</tr></thead>\n<tbody>\n");
    for (List<Object> row : rows) {
      t.append("<tr>");
      for (Object cell : row) {
        t.append(cell instanceof Number ? "<td class=\"num\">" : "<td>")
            .append(escape(String.valueOf(cell)))
            .append("</td>");
      }
      t.append("</tr>\n");
    }
    return t.append("</tbody>\n</table>\n").toString();
  }

  /** The chart data; "</" is escaped so no value can close the script element. */
  static String json(ReportData data) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("syncId", data.syncId());
    List<Object> runs = new ArrayList<>();
    data.runs()
        .forEach(
            r ->
                runs.add(
                    map(
                        "run",
                        r.runId(),
                        "started",
                        time(r.startedAt()),
                        "planned",
                        r.planned(),
                        "succeeded",
                        r.succeeded(),
                        "failed",
                        r.failed(),
                        "aborted",
                        r.aborted())));
    root.put("runs", runs);
    List<Object> categories = new ArrayList<>();
    data.categories()
        .forEach(
            c ->
                categories.add(
                    map(
                        "category",
                        c.category(),
                        "failures",
                        c.failures(),
                        "example",
                        text(c.exampleReason()))));
    root.put("categories", categories);
    List<Object> rows = new ArrayList<>();
    data.topRows()
        .forEach(
            r ->
                rows.add(
                    map(
                        "row",
                        r.rowId(),
                        "failures",
                        r.failures(),
                        "reason",
                        text(r.latestReason()))));
    root.put("topRows", rows);
    List<Object> membership = new ArrayList<>();
    data.membership()
        .forEach(
            m ->
                membership.add(
                    map(
                        "run",
                        m.runId(),
                        "started",
                        time(m.startedAt()),
                        "entered",
                        m.entered(),
                        "exited",
                        m.exited(),
                        "members",
                        m.membersAfterRun())));
    root.put("membership", membership);
    try {
      return new ObjectMapper().writeValueAsString(root).replace("</", "<\\/");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the report's data as JSON", e);
    }
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  private static String time(Instant t) {
    return t == null ? "" : t.toString().replace('T', ' ').replace("Z", " UTC");
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
