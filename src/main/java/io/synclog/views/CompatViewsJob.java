package io.synclog.views;

import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.sink.LogSink;
import io.synclog.sink.SchemaViews;
import io.synclog.sink.Sinks;
import io.synclog.sink.TableView;
import io.synclog.sink.bigquery.BigQuerySettings;
import io.synclog.sink.bigquery.BqViews;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * {@code views --compat hightouch [--compat-schema S]}: a schema (default {@code hightouch_audit})
 * of three views named like Hightouch's audit tables ({@link HightouchViews}) over synclog's
 * tables, on every target, so queries and dbt models written for Hightouch run unchanged. The views
 * cover every sync in the tables. Rerunning replaces the views; the tables are only read, and a
 * table already holding one of the names is never replaced.
 */
public final class CompatViewsJob {
  private CompatViewsJob() {}

  /** The values {@code --compat} accepts. */
  public static final List<String> NAMES = List.of(HightouchViews.NAME);

  /** Creates or replaces the views of the target named by target.kind. */
  public static List<String> run(
      SparkSession spark, SyncConfig config, String compat, String schema, PrintStream out) {
    String in = schema(config, compat, schema);
    return run(views(spark, config), config, compat, in, out);
  }

  /**
   * Creates or replaces the views through the target's {@link SchemaViews}; returns their names, in
   * creation order. A view whose table is disabled or not written yet is skipped with a message.
   */
  public static List<String> run(
      SchemaViews target, SyncConfig config, String compat, String schema, PrintStream out) {
    String in = schema(config, compat, schema);
    List<TableView> views = new ArrayList<>();
    for (TableView view : HightouchViews.ALL) {
      String name = target.display(in, view.name());
      if (!config.tableEnabled(view.table())) {
        out.printf(
            "synclog: skipped view %s: the %s table is disabled (tables.enabled)%n",
            name, view.table());
        continue;
      }
      Optional<List<String>> columns = target.columns(view.table());
      if (columns.isEmpty()) {
        out.printf(
            "synclog: skipped view %s: there is no %s table yet (is it enabled and recorded?)%n",
            name, view.table());
        continue;
      }
      views.add(view.over(columns.get()));
    }
    if (!views.isEmpty()) {
      target.replace(in, views);
    }
    List<String> created = new ArrayList<>();
    for (TableView view : views) {
      String name = target.display(in, view.name());
      created.add(name);
      out.printf("synclog: created view %s%n", name);
    }
    if (!created.isEmpty()) {
      out.printf(
          "synclog: Hightouch's queries now read %s: failure_reason is synclog's failed_reason,"
              + " and sync_snapshot.sync_run_id its last_sync_run_id%n",
          in);
    }
    return created;
  }

  /** The schema of the views, checked: a plain name, not the tables' own schema. */
  static String schema(SyncConfig config, String compat, String schema) {
    checkName(compat);
    String in = schema == null ? HightouchViews.DEFAULT_SCHEMA : schema;
    if (!in.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw Errors.badIdentifier(
          "--compat-schema", in, "use letters, digits and underscores, starting with a letter");
    }
    if (in.equalsIgnoreCase(config.schema())) {
      throw Errors.badUsage(
          "Cannot create the compatibility views in schema "
              + in
              + ": it is target.schema, where synclog's tables already have the views' names."
              + " Choose another schema with --compat-schema (default "
              + HightouchViews.DEFAULT_SCHEMA
              + ").");
    }
    return in;
  }

  /** Refuses a {@code --compat} value that names no set of views, naming those it accepts. */
  public static void checkName(String compat) {
    if (!NAMES.contains(compat)) {
      throw Errors.badUsage(
          "Unknown --compat value '"
              + compat
              + "'; expected one of "
              + String.join(", ", NAMES)
              + ".");
    }
  }

  /** The views of the target named by target.kind: through its sink, or BigQuery's REST client. */
  private static SchemaViews views(SparkSession spark, SyncConfig config) {
    if (config.targetKind().equals(BigQuerySettings.KIND)) {
      return BqViews.open(BigQuerySettings.of(config), Sinks.physicalNames(config));
    }
    LogSink sink = Sinks.open(spark, config);
    if (sink instanceof SchemaViews.Source source) {
      return source.views();
    }
    throw new IllegalStateException("no views for target.kind " + config.targetKind());
  }
}
