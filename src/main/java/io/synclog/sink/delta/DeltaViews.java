package io.synclog.sink.delta;

import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import io.synclog.sink.SchemaViews;
import io.synclog.sink.TableView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Views over the Delta tables in a schema of the tables' catalog (the session's current catalog for
 * tables by path, where the views read {@code delta.`path`}). Spark runs each statement on its own:
 * the schema is created when missing, every view name is checked first, then each view is created
 * or replaced.
 */
final class DeltaViews implements SchemaViews {
  private final DeltaSession session;

  DeltaViews(DeltaSession session) {
    this.session = session;
  }

  @Override
  public Optional<List<String>> columns(String table) {
    if (!session.tables().exists(table)) {
      return Optional.empty();
    }
    return Optional.of(List.of(session.read(table).schema().fieldNames()));
  }

  @Override
  public String display(String schema, String view) {
    return session.tables().beside(schema).display(view);
  }

  @Override
  public void replace(String schema, List<TableView> views) {
    SparkSession spark = session.spark();
    CatalogNames names = session.tables().beside(schema);
    try {
      if (!spark.catalog().databaseExists(names.schemaSql())) {
        spark.sql("CREATE SCHEMA IF NOT EXISTS " + names.schemaSql());
      }
      for (TableView view : views) {
        String name = names.sql(view.name());
        if (spark.catalog().tableExists(name)
            && !"VIEW".equals(spark.catalog().getTable(name).tableType())) {
          throw Errors.viewNameTaken(names.display(view.name()));
        }
      }
      for (TableView view : views) {
        spark.sql(createView(names, session.sqlName(view.table()), view));
      }
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      throw Errors.warehouseFailed(
          "Spark",
          "create views in " + names.schemaDisplay(),
          session.tables().describe(),
          "Check that the session's catalog may create schemas and views there.",
          e);
    }
  }

  /**
   * {@code CREATE OR REPLACE VIEW}: the view's columns selected from the table under the view's
   * names, in the view's order.
   *
   * @param table the table's name in SQL: {@code delta.`path`} or {@code `catalog`.`schema`.`t`}
   */
  static String createView(CatalogNames names, String table, TableView view) {
    List<String> columns = new ArrayList<>();
    for (TableView.Column c : view.columns()) {
      String source = DeltaStatements.quote(c.source());
      columns.add(c.isRenamed() ? source + " AS " + DeltaStatements.quote(c.name()) : source);
    }
    return "CREATE OR REPLACE VIEW "
        + names.sql(view.name())
        + " AS\nSELECT\n  "
        + String.join(",\n  ", columns)
        + "\nFROM "
        + table;
  }
}
