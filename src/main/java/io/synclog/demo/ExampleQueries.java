package io.synclog.demo;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference's example questions as Spark SQL over the three tables, named {@code
 * sync_changelog}, {@code sync_snapshot} and {@code sync_runs}: run them as they are after {@code
 * USE <schema>}, or point them at other names (Delta paths, say) with {@link #over}.
 *
 * <p>They differ from the reference's Snowflake text where it had to: the column is {@code
 * failed_reason}, changelog rows are joined to their own run (on sync_id <em>and</em> sync_run_id,
 * so each change gets its run's {@code started_at}), and {@code QUALIFY}, which Spark 3.5 lacks,
 * becomes a filter on {@code row_number()} in a subquery.
 */
public final class ExampleQueries {
  private ExampleQueries() {}

  /** Get the most common sync error. */
  public static final String MOST_COMMON_ERRORS =
      """
      SELECT failed_reason, count(*) AS c
      FROM sync_snapshot
      WHERE failed_reason IS NOT NULL
      GROUP BY failed_reason
      ORDER BY c DESC, failed_reason
      """;

  /** Track when users entered and exited a model: one row per entry or exit. */
  public static final String ENTRIES_AND_EXITS =
      """
      WITH details AS (
        SELECT
          r.model_name,
          c.row_id,
          c.op_type AS type,
          r.started_at AS `timestamp`,
          lag(c.op_type) OVER (PARTITION BY r.model_name, c.row_id ORDER BY r.started_at)
            AS lag_type
        FROM sync_changelog c
        JOIN sync_runs r ON c.sync_id = r.sync_id AND c.sync_run_id = r.sync_run_id
        WHERE c.op_type != 'changed'
      )
      SELECT row_id AS user_id, model_name AS audience, type, `timestamp`
      FROM details
      WHERE lag_type != type OR lag_type IS NULL
      ORDER BY model_name, row_id, `timestamp`
      """;

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
  public static final String CURRENT_ROWS =
      """
      WITH model_names AS (
        SELECT DISTINCT sync_id, model_name
        FROM sync_runs
      )
      SELECT model_name, user_id
      FROM (
        SELECT
          r.model_name,
          s.row_id AS user_id,
          row_number() OVER (PARTITION BY s.row_id, r.model_name ORDER BY s.sync_id) AS n
        FROM sync_snapshot s
        JOIN model_names r ON s.sync_id = r.sync_id
        WHERE s.status != 'failed'
      ) current_rows
      WHERE n = 1
      ORDER BY user_id
      """;

  /** The current rows counted per model. */
  public static final String CURRENT_ROWS_PER_MODEL =
      "SELECT model_name, count(*) AS current_rows\nFROM (\n"
          + CURRENT_ROWS
          + ") current_rows\nGROUP BY model_name\nORDER BY model_name\n";

  private static final Pattern TABLE =
      Pattern.compile("\\b(sync_changelog|sync_snapshot|sync_runs)\\b");

  /**
   * The query with each table name replaced by the given reference, for example {@code
   * delta.`/data/sync_audit/sync_runs`}; names not in {@code tables} are kept.
   */
  public static String over(String sql, Map<String, String> tables) {
    Matcher m = TABLE.matcher(sql);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          sb, Matcher.quoteReplacement(tables.getOrDefault(m.group(1), m.group(1))));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** {@code delta.`path`}, the way Spark SQL reads a Delta table by its path. */
  public static String deltaPath(String path) {
    return "delta.`" + path.replace("`", "``") + "`";
  }
}
