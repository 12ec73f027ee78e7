package io.synclog.demo;

import io.synclog.views.AuditQueries;
import java.util.Map;

/**
 * The reference's example questions as Spark SQL over the three tables, named {@code
 * sync_changelog}, {@code sync_snapshot} and {@code sync_runs}: run them as they are after {@code
 * USE <schema>}, or point them at other names (Delta paths, say) with {@link #over}.
 *
 * <p>The three questions are the shared texts of {@link AuditQueries} (also behind the views, the
 * report and the notebooks); the demo adds a few summaries over them.
 */
public final class ExampleQueries {
  private ExampleQueries() {}

  /** Get the most common sync error. */
  public static final String MOST_COMMON_ERRORS = AuditQueries.text("most_common_errors");

  /** Track when users entered and exited a model: one row per entry or exit. */
  public static final String ENTRIES_AND_EXITS = AuditQueries.text("membership_changes");

  /** Entries and exits counted per audience, day and type: an audience over time. */
  public static final String ENTRIES_AND_EXITS_PER_DAY =
      "SELECT audience, to_date(`timestamp`) AS day, type, count(*) AS users\nFROM (\n"
          + ENTRIES_AND_EXITS
          + ") events\nGROUP BY audience, to_date(`timestamp`), type\nORDER BY audience, day, type\n";

  /** The entries and exits of ten users who have exited, picked by a hash of their id. */
  public static final String ENTRIES_AND_EXITS_SAMPLE =
      "SELECT events.*\nFROM (\n"
          + ENTRIES_AND_EXITS
          + ") events\nWHERE user_id IN (\n  SELECT user_id FROM (\n"
          + ENTRIES_AND_EXITS
          + "  ) exits WHERE type = 'removed' ORDER BY xxhash64(user_id), user_id LIMIT 10\n)\n"
          + "ORDER BY audience, user_id, `timestamp`\n";

  /** Get the current rows in all models: the rows last synced that did not fail. */
  public static final String CURRENT_ROWS = AuditQueries.text("current_members");

  /** The current rows counted per model. */
  public static final String CURRENT_ROWS_PER_MODEL =
      "SELECT model_name, count(*) AS current_rows\nFROM (\n"
          + CURRENT_ROWS
          + ") current_rows\nGROUP BY model_name\nORDER BY model_name\n";

  /**
   * The query with each table name replaced by the given reference, for example {@code
   * delta.`/data/sync_audit/sync_runs`}; names not in {@code tables} are kept.
   */
  public static String over(String sql, Map<String, String> tables) {
    return AuditQueries.bind(sql, tables);
  }

  /** {@code delta.`path`}, the way Spark SQL reads a Delta table by its path. */
  public static String deltaPath(String path) {
    return AuditQueries.deltaPath(path);
  }
}
