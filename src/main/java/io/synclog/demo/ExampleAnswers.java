package io.synclog.demo;

import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Answers the reference's example questions over the demo's tables and prints them. */
final class ExampleAnswers {
  private final SparkSession spark;
  private final Map<String, String> tables;

  /**
   * @param tables how to reference each table in SQL, by its name ({@code sync_changelog}, ...)
   */
  ExampleAnswers(SparkSession spark, Map<String, String> tables) {
    this.spark = spark;
    this.tables = Map.copyOf(tables);
  }

  Dataset<Row> answer(String query) {
    return spark.sql(ExampleQueries.over(query, tables));
  }

  void print(PrintStream out) {
    heading(out, "1. What are the most common sync errors? (sync_snapshot, by failed_reason)");
    table(out, ExampleQueries.MOST_COMMON_ERRORS, 20);

    heading(out, "2. When did customers enter and exit the model? (sync_changelog + sync_runs)");
    out.println("  Entries and exits per day:");
    table(out, ExampleQueries.ENTRIES_AND_EXITS_PER_DAY, 50);
    out.println("  A sample: customers who left, with when they came and went:");
    table(out, ExampleQueries.ENTRIES_AND_EXITS_SAMPLE, 20);

    heading(out, "3. What are the current rows in all models? (sync_snapshot + sync_runs)");
    table(out, ExampleQueries.CURRENT_ROWS_PER_MODEL, 20);
    out.println("  The first ten:");
    table(out, ExampleQueries.CURRENT_ROWS, 10);
    out.println();
    out.println("The queries are in io.synclog.demo.ExampleQueries; the tables are at:");
    tables.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.printf("  %-15s %s%n", e.getKey(), e.getValue()));
  }

  private static void heading(PrintStream out, String title) {
    out.println();
    out.println(title);
    out.println("=".repeat(title.length()));
  }

  private void table(PrintStream out, String query, int limit) {
    Dataset<Row> rows = answer(query);
    out.print(TextTable.render(rows.schema(), rows.limit(limit).collectAsList()));
  }
}
