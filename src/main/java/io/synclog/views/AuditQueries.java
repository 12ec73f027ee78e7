package io.synclog.views;

import io.synclog.sql.SparkSql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Spark SQL questions over the three tables, kept once under {@code sql/spark/} and shared by
 * the views, the run report and the notebooks. Each text names its relations unqualified ({@code
 * sync_changelog}, {@code sync_snapshot}, {@code sync_runs}, {@code error_rules}) and always gives
 * them an alias, so a caller can bind a name to a table, a Delta path or a subquery. Comments sit
 * on lines of their own.
 */
public final class AuditQueries {
  private AuditQueries() {}

  /** The rules that put a failed_reason in a category: a query, bound where others need it. */
  public static final String ERROR_RULES = "error_rules";

  /** Every question, in the order the views are created (error_rules first: others use it). */
  public static final List<String> NAMES =
      List.of(
          ERROR_RULES,
          "most_common_errors",
          "errors_by_category",
          "top_failing_rows",
          "membership_changes",
          "current_members",
          "membership_history",
          "flapping_rows",
          "runs_over_time");

  /** The relation names a text may use. */
  public static final List<String> RELATIONS =
      List.of("sync_changelog", "sync_snapshot", "sync_runs", ERROR_RULES);

  /** The text of one question, as stored (comments included, no trailing newline). */
  public static String text(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("No query named '" + name + "'; expected one of " + NAMES);
    }
    String resource = "/sql/spark/" + name + ".sql";
    try (InputStream in = AuditQueries.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Cannot find " + resource + " on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }

  /** The relation names a text uses, in {@link #RELATIONS} order. */
  public static List<String> relationsOf(String sql) {
    String code = stripComments(sql);
    return RELATIONS.stream().filter(r -> word(r).matcher(code).find()).toList();
  }

  /**
   * Replaces each relation name with the given SQL (a table name, {@code delta.`path`}, or a
   * parenthesised subquery). Comment lines are dropped first so a name in a comment is never
   * rewritten.
   */
  public static String bind(String sql, Map<String, String> relations) {
    String out = stripComments(sql);
    for (Map.Entry<String, String> e : relations.entrySet()) {
      out = word(e.getKey()).matcher(out).replaceAll(Matcher.quoteReplacement(e.getValue()));
    }
    return out;
  }

  /** A Delta table by path, quoted for Spark SQL. */
  public static String deltaPath(String path) {
    return "delta.`" + path.replace("`", "``") + "`";
  }

  /** A Spark SQL string literal. */
  public static String literal(String value) {
    return SparkSql.literal(value);
  }

  static String stripComments(String sql) {
    return sql.lines()
        .filter(line -> !line.strip().startsWith("--"))
        .collect(Collectors.joining("\n"));
  }

  private static Pattern word(String name) {
    return Pattern.compile("(?<![\\w.`])" + Pattern.quote(name) + "(?![\\w`])");
  }
}
