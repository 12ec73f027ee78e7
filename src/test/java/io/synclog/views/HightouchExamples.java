package io.synclog.views;

import static io.synclog.views.CompatScenario.INVALID;
import static io.synclog.views.CompatScenario.LOCKED;
import static io.synclog.views.CompatScenario.RATE;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The three example queries of the reference (Hightouch's Warehouse Sync Logs page, written for
 * Snowflake), their answers over {@link CompatScenario}, and how to run them on an engine and print
 * their rows. Each text is the reference's, character for character, except where an engine lacks a
 * construct; the variant says which and why.
 */
public final class HightouchExamples {
  private HightouchExamples() {}

  /** The schema the queries name; a test that uses another replaces it. */
  public static final String SCHEMA = "hightouch_audit";

  /** "Get the most common sync error", verbatim. */
  public static final String MOST_COMMON_ERROR =
      """
      select
        failure_reason,
        count(*) as c
      from hightouch_audit.sync_snapshot
      where failure_reason is not null
      group by failure_reason
      order by c desc""";

  /** "Track when users entered and exited a model", verbatim. */
  public static final String ENTERED_AND_EXITED =
      """
      with details as (
        select
          model_name,
          row_id,
          op_type as type,
          started_at as timestamp,
          lag(op_type) over(partition by model_name, row_id order by started_at) as lag_type
        from hightouch_audit.sync_changelog c
        join hightouch_audit.sync_runs r on c.sync_id = r.sync_id
        where op_type != 'changed'
        order by model_name, row_id
      )

      select
        row_id as user_id,
        model_name as audience,
        type,
        timestamp
      from details
      where (lag_type != type or lag_type is null)
      order by model_name, row_id, timestamp""";

  /** "Get the current rows in all models", verbatim: Snowflake's QUALIFY. */
  public static final String CURRENT_ROWS =
      """
      with model_names as (
        select distinct
          sync_id,
          model_name
        from hightouch_audit.sync_runs
      )

      select
        model_name,
        row_id as user_id
      from hightouch_audit.sync_snapshot s
      join model_names r on s.sync_id = r.sync_id
      where s.status != 'failed'
      qualify row_number() over (partition by user_id, model_name order by null) = 1
      order by user_id""";

  /**
   * {@link #CURRENT_ROWS} for engines without QUALIFY (open-source Spark 3.5, PostgreSQL), the one
   * change: the select becomes a subquery that computes the same row_number(), and an outer WHERE
   * keeps the first. Its window partitions by row_id, which is what the reference's user_id names:
   * a window cannot use an alias of its own select list there.
   */
  public static final String CURRENT_ROWS_WITHOUT_QUALIFY =
      """
      with model_names as (
        select distinct
          sync_id,
          model_name
        from hightouch_audit.sync_runs
      )

      select model_name, user_id from (
      select
        model_name,
        row_id as user_id,
        row_number() over (partition by row_id, model_name order by null) as n
      from hightouch_audit.sync_snapshot s
      join model_names r on s.sync_id = r.sync_id
      where s.status != 'failed'
      ) current_rows
      where n = 1
      order by user_id""";

  /** The answers over the scenario, in the queries' order (failure_reason|c). */
  public static final List<String> MOST_COMMON_ERROR_ROWS =
      List.of(INVALID + "|3", LOCKED + "|2", RATE + "|1");

  /**
   * user_id|audience|type|timestamp. The join on sync_id alone stamps each entry with the start of
   * its sync's first remaining run: 8, added by crm's day-3 run, shows day 2.
   */
  public static final List<String> ENTERED_AND_EXITED_ROWS =
      List.of(
          "1|audience|added|2026-05-03T10:00:00Z",
          "10|audience|added|2026-05-03T10:00:00Z",
          "9|audience|added|2026-05-03T10:00:00Z",
          "1|customers|added|2026-05-02T10:00:00Z",
          "2|customers|added|2026-05-02T10:00:00Z",
          "3|customers|added|2026-05-02T10:00:00Z",
          "6|customers|removed|2026-05-02T10:00:00Z",
          "7|customers|added|2026-05-02T10:00:00Z",
          "8|customers|added|2026-05-02T10:00:00Z");

  /**
   * model_name|user_id, ordered by user_id only: the two rows of user 1 may come in either order. 3
   * failed for crm but succeeded for braze, both syncs of customers; it is current once.
   */
  public static final List<String> CURRENT_ROWS_ROWS =
      List.of(
          "audience|1", "customers|1", "customers|2", "customers|3", "customers|5", "customers|7");

  /** A query's text naming another schema. */
  public static String in(String schema, String sql) {
    return sql.replace(SCHEMA + ".", schema + ".");
  }

  /**
   * Runs the three queries (the third as given) and checks each answer, row for row where the query
   * orders them, showing the query, the expected and the actual rows when one differs.
   */
  public static void assertAnswers(
      String schema, String currentRows, Function<String, List<String>> run) {
    List<String> errors = run.apply(in(schema, MOST_COMMON_ERROR));
    assertThat(errors)
        .as(in(schema, MOST_COMMON_ERROR))
        .containsExactlyElementsOf(MOST_COMMON_ERROR_ROWS);

    List<String> changes = run.apply(in(schema, ENTERED_AND_EXITED));
    assertThat(changes)
        .as(in(schema, ENTERED_AND_EXITED))
        .containsExactlyElementsOf(ENTERED_AND_EXITED_ROWS);

    List<String> current = run.apply(in(schema, currentRows));
    assertThat(current)
        .as(in(schema, currentRows))
        .containsExactlyInAnyOrderElementsOf(CURRENT_ROWS_ROWS)
        .isSortedAccordingTo(Comparator.comparing((String r) -> r.substring(r.indexOf('|') + 1)));
  }

  /** A Spark result as "a|b|c" lines, in its order; timestamps as UTC instants. */
  public static List<String> lines(Dataset<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows.collectAsList()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        cells.add(cell(r.isNullAt(i) ? null : r.get(i)));
      }
      out.add(String.join("|", cells));
    }
    return out;
  }

  /** A JDBC result as "a|b|c" lines, in its order; timestamps as UTC instants. */
  public static List<String> lines(Connection c, String sql) {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          cells.add(cell(rs.getObject(i)));
        }
        out.add(String.join("|", cells));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage() + "\n" + sql, e);
    }
  }

  private static String cell(Object v) {
    return v instanceof Timestamp t ? t.toInstant().toString() : String.valueOf(v);
  }
}
