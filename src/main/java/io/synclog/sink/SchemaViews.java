package io.synclog.sink;

import java.util.List;
import java.util.Optional;

/**
 * Views over a sink's tables, kept in a schema of their own beside the tables' schema (in the same
 * database, catalog or project, so the views can read the tables). Creating views reads the tables'
 * columns and nothing else: no statement here alters, replaces or drops a table.
 */
public interface SchemaViews {

  /** A sink whose tables can have views. */
  interface Source {
    SchemaViews views();
  }

  /**
   * The columns of one of the sink's tables as it stands, or empty when it does not exist yet.
   *
   * @param table the logical table: changelog, snapshot or runs
   */
  Optional<List<String>> columns(String table);

  /** A view's name in a schema, as messages show it. */
  String display(String schema, String view);

  /**
   * Creates the schema when it is missing, then creates or replaces each view in it. Where the
   * warehouse has transactional DDL, all views change together or none does.
   *
   * @param views each already fitted to its table's columns ({@link TableView#over})
   * @throws io.synclog.error.SyncLogException when an object of one of the views' names in the
   *     schema is not a view: a table is never replaced. Where the warehouse can list the schema's
   *     tables cheaply this is checked before any view changes; BigQuery refuses by itself.
   */
  void replace(String schema, List<TableView> views);
}
