package io.synclog.sink.warehouse;

import io.synclog.error.Errors;
import io.synclog.sink.SchemaViews;
import io.synclog.sink.TableView;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Views over a SQL warehouse's tables, in another schema of the same database, for every dialect:
 * one transaction looks the schema up (creating it when missing), refuses if a table holds a view's
 * name, and creates or replaces the views. Where DDL is transactional (PostgreSQL, Redshift) the
 * views change together; Snowflake commits each statement.
 *
 * <p>{@code CREATE OR REPLACE VIEW} keeps what depends on a view (a dbt model, a grant), but
 * PostgreSQL and Redshift let it change no existing column: a view whose columns differ (say
 * split_group has appeared since) is dropped and created again in the same transaction.
 */
public final class WarehouseViews implements SchemaViews {
  /** Runs first in the transaction: the sink's DDL serialisation, where it has one. */
  @FunctionalInterface
  public interface BeforeDdl {
    void run(Connection c) throws SQLException;
  }

  private final WarehouseNames tables;
  private final JdbcSession jdbc;
  private final WarehouseCalls calls;
  private final BeforeDdl beforeDdl;

  /**
   * @param tables the names of the tables the views read
   */
  public WarehouseViews(
      WarehouseNames tables, JdbcSession jdbc, WarehouseCalls calls, BeforeDdl beforeDdl) {
    this.tables = tables;
    this.jdbc = jdbc;
    this.calls = calls;
    this.beforeDdl = beforeDdl;
  }

  @Override
  public Optional<List<String>> columns(String table) {
    List<String> columns =
        calls.reading(
            table,
            () -> jdbc.autoCommit(c -> names(c, columnsOf(tables.schema(), tables.table(table)))));
    return columns.isEmpty() ? Optional.empty() : Optional.of(columns);
  }

  @Override
  public String display(String schema, String view) {
    WarehouseNames in = names(schema);
    return in.schema() + "." + in.table(view);
  }

  @Override
  public void replace(String schema, List<TableView> views) {
    WarehouseNames target = names(schema);
    if (views.isEmpty()) {
      return;
    }
    calls.creating(
        "views in " + target.schema(),
        () ->
            jdbc.inTransaction(
                c -> {
                  beforeDdl.run(c);
                  if (jdbc.query(c, new WarehouseSql(target).schemaExists()).isEmpty()) {
                    JdbcSession.execute(c, WarehouseDdl.createSchema(target));
                  }
                  List<String> taken = names(c, tablesNamed(target, views));
                  if (!taken.isEmpty()) {
                    throw Errors.viewNameTaken(target.schema() + "." + taken.get(0));
                  }
                  for (TableView view : views) {
                    replace(c, target, view);
                  }
                  return null;
                }));
  }

  private void replace(Connection c, WarehouseNames target, TableView view) throws SQLException {
    Dialect d = target.dialect();
    List<String> now = names(c, columnsOf(target.schema(), target.table(view.name())));
    if (!now.isEmpty() && !now.equals(view.columnNames().stream().map(d::fold).toList())) {
      JdbcSession.execute(c, "DROP VIEW " + target.path(view.name()));
    }
    JdbcSession.execute(c, createView(target, tables, view));
  }

  /** The first column of a query's rows. */
  private List<String> names(Connection c, SqlStatement query) throws SQLException {
    return jdbc.query(c, query).stream().map(r -> String.valueOf(r[0])).toList();
  }

  /** The names of a schema of views, checked as a plain identifier of the dialect. */
  private WarehouseNames names(String schema) {
    WarehouseNames.identifier(tables.dialect(), "--compat-schema", schema);
    return new WarehouseNames(tables.dialect(), schema, Map.of());
  }

  /**
   * {@code CREATE OR REPLACE VIEW}: the view's columns selected from its table under the view's
   * names, in the view's order, each quoted as the dialect quotes columns.
   *
   * @param views the names of the schema the view goes in
   * @param tables the names of the tables
   */
  public static String createView(WarehouseNames views, WarehouseNames tables, TableView view) {
    Dialect d = tables.dialect();
    List<String> columns = new ArrayList<>();
    for (TableView.Column c : view.columns()) {
      columns.add(
          c.isRenamed() ? d.column(c.source()) + " AS " + d.column(c.name()) : d.column(c.name()));
    }
    return "CREATE OR REPLACE VIEW "
        + views.path(view.name())
        + d.replaceViewOptions()
        + " AS\nSELECT\n  "
        + String.join(",\n  ", columns)
        + "\nFROM "
        + tables.qualified(view.table());
  }

  /** A table's or view's column names, in order: none when it does not exist. */
  private static SqlStatement columnsOf(String schema, String table) {
    return SqlStatement.of(
        "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME"
            + " = ? ORDER BY ORDINAL_POSITION",
        schema,
        table);
  }

  /** Objects of the schema that are not views and have one of the views' names. */
  private static SqlStatement tablesNamed(WarehouseNames target, List<TableView> views) {
    List<Object> params = new ArrayList<>();
    params.add(target.schema());
    views.forEach(v -> params.add(target.dialect().fold(v.name())));
    return new SqlStatement(
        "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE"
            + " <> 'VIEW' AND TABLE_NAME IN ("
            + String.join(", ", Collections.nCopies(views.size(), "?"))
            + ") ORDER BY TABLE_NAME",
        params);
  }
}
