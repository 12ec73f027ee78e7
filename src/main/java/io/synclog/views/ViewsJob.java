package io.synclog.views;

import io.delta.tables.DeltaTable;
import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.sink.Sinks;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code views}: creates one view per question of {@link AuditQueries} ({@code
 * v_errors_by_category}, {@code v_current_members}, ...) in the Spark catalog database named by
 * target.schema, over the Delta tables at {@code <target.location>/<target.schema>/<table>}, so BI
 * tools read the answers without copying queries. Rerunning replaces the views; the tables are only
 * read.
 */
public final class ViewsJob {
  /** The prefix of every view's name. */
  public static final String PREFIX = "v_";

  private ViewsJob() {}

  /** Creates or replaces the views; returns their qualified names, in creation order. */
  public static List<String> run(SparkSession spark, SyncConfig config, PrintStream out) {
    if (!"delta".equals(config.targetKind())) {
      throw Errors.badUsage(
          "Cannot create views for target.kind="
              + config.targetKind()
              + ": views are created over Delta tables only. On PostgreSQL, run the queries under"
              + " sql/postgres/ in the synclog jar, or create views from them in your schema.");
    }
    String schema = config.schema();
    Map<String, String> tables = tablePaths(config);
    Map<String, String> relations = new LinkedHashMap<>();
    tables.forEach((name, path) -> relations.put(name, AuditQueries.deltaPath(path)));
    relations.put(AuditQueries.ERROR_RULES, schema + "." + PREFIX + AuditQueries.ERROR_RULES);

    spark.sql("CREATE DATABASE IF NOT EXISTS " + schema);
    List<String> created = new ArrayList<>();
    for (String name : AuditQueries.NAMES) {
      String sql = AuditQueries.text(name);
      List<String> missing =
          AuditQueries.relationsOf(sql).stream()
              .filter(tables::containsKey)
              .filter(t -> !exists(spark, tables.get(t)))
              .toList();
      String view = schema + "." + PREFIX + name;
      if (!missing.isEmpty()) {
        out.printf(
            "synclog: skipped view %s: no Delta table at %s (is the table enabled and recorded?)%n",
            view, String.join(", ", missing.stream().map(tables::get).toList()));
        continue;
      }
      spark.sql("CREATE OR REPLACE VIEW " + view + " AS\n" + AuditQueries.bind(sql, relations));
      created.add(view);
      out.printf("synclog: created view %s%n", view);
    }
    return created;
  }

  /**
   * Where each of the three tables is, keyed by its query name (sync_changelog, ...), as the Delta
   * sink lays them out: {@code <target.location>/<target.schema>/<physical name>}.
   */
  public static Map<String, String> tablePaths(SyncConfig config) {
    String location = config.location();
    String root =
        (location.endsWith("/") ? location.substring(0, location.length() - 1) : location)
            + "/"
            + config.schema();
    Map<String, String> physical = Sinks.physicalNames(config);
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("sync_changelog", root + "/" + physical.get("changelog"));
    paths.put("sync_snapshot", root + "/" + physical.get("snapshot"));
    paths.put("sync_runs", root + "/" + physical.get("runs"));
    return paths;
  }

  /** Whether a Delta table is at the path. */
  public static boolean exists(SparkSession spark, String path) {
    return DeltaTable.isDeltaTable(spark, path);
  }
}
