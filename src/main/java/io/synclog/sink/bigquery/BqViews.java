package io.synclog.sink.bigquery;

import io.synclog.sink.SchemaViews;
import io.synclog.sink.TableView;
import io.synclog.sink.warehouse.WarehouseCalls;
import io.synclog.sink.warehouse.WarehouseNames;
import io.synclog.sink.warehouse.WarehouseViews;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Views over the dataset's tables, in another dataset of the same project: one script creates the
 * dataset when it is missing, then creates or replaces each view. BigQuery runs DDL outside
 * transactions, so the views change one by one; it refuses by itself to replace a table with a
 * view. A dataset created here takes the project's default location, like the tables' dataset when
 * synclog created it.
 */
public final class BqViews implements SchemaViews {
  private static final String HINT =
      "Check target.project and the credentials (target.auth), and that the account may run jobs in"
          + " target.parent-project and create datasets and views in target.project.";

  private final BqNames tables;
  private final BqRest rest;
  private final WarehouseCalls calls;

  BqViews(BqNames tables, BqRest rest, WarehouseCalls calls) {
    this.tables = tables;
    this.rest = rest;
    this.calls = calls;
  }

  /** Views over the tables of {@code target.kind=bigquery}, reached as the sink reaches them. */
  public static BqViews open(BigQuerySettings s, Map<String, String> physical) {
    BqNames names = new BqNames(s.project(), s.dataset(), physical);
    BqRest rest = new BqRest(s.restEndpoint(), s.parentProject(), BqAuth.of(s, System.getenv()));
    return new BqViews(
        names,
        rest,
        WarehouseCalls.of(names, s.describe(), HINT, e -> BigQueryLogSink.scrubbed(s, e)));
  }

  @Override
  public Optional<List<String>> columns(String table) {
    return calls.reading(
        table, () -> rest.columns(tables.project(), tables.dataset(), tables.table(table)));
  }

  @Override
  public String display(String schema, String view) {
    return names(tables, schema).project() + "." + schema + "." + view;
  }

  @Override
  public void replace(String schema, List<TableView> views) {
    String script = String.join(";\n", statements(tables, schema, views));
    calls.creating("views in " + schema, () -> rest.query(script, List.of()));
  }

  /** The script's statements: the dataset, then one {@code CREATE OR REPLACE VIEW} per view. */
  static List<String> statements(BqNames tables, String schema, List<TableView> views) {
    BqNames target = names(tables, schema);
    List<String> s = new ArrayList<>();
    s.add("CREATE SCHEMA IF NOT EXISTS " + target.qualifiedDataset());
    for (TableView view : views) {
      s.add(WarehouseViews.createView(target, tables, view));
    }
    return s;
  }

  private static BqNames names(BqNames tables, String schema) {
    WarehouseNames.identifier(BigQueryDialect.INSTANCE, "--compat-schema", schema);
    return new BqNames(tables.project(), schema, Map.of());
  }
}
