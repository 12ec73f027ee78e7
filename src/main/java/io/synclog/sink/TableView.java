package io.synclog.sink;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A view over one of the log tables: some of the table's columns, each under the view's name for
 * it. Views only rename and select, so every warehouse writes the same view in its own quoting.
 *
 * @param name the view's name
 * @param table the logical table it reads: changelog, snapshot or runs
 * @param columns the view's columns, in order
 */
public record TableView(String name, String table, List<Column> columns) {

  /**
   * One column of a view.
   *
   * @param source the table's column
   * @param name the view's name for it
   * @param optional whether the view leaves it out when the table lacks it ({@code split_group}
   *     exists only once a sync uses splits)
   */
  public record Column(String source, String name, boolean optional) {
    /** A column under its own name. */
    public static Column same(String name) {
      return new Column(name, name, false);
    }

    /** A column under another name. */
    public static Column renamed(String source, String name) {
      return new Column(source, name, false);
    }

    /** A column under its own name, present only when the table has it. */
    public static Column ifPresent(String name) {
      return new Column(name, name, true);
    }

    /** Whether the view's name for the column is not the table's. */
    public boolean isRenamed() {
      return !source.equals(name);
    }
  }

  public TableView {
    columns = List.copyOf(columns);
  }

  /**
   * This view over a table that has the given columns: the optional columns it lacks left out.
   * Names are compared ignoring case, since warehouses fold them (Snowflake upper-cases).
   */
  public TableView over(Collection<String> tableColumns) {
    Set<String> present =
        tableColumns.stream().map(c -> c.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    return new TableView(
        name,
        table,
        columns.stream()
            .filter(c -> !c.optional() || present.contains(c.source().toLowerCase(Locale.ROOT)))
            .toList());
  }

  /** The view's column names, in order. */
  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }
}
