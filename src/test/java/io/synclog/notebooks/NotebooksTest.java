package io.synclog.notebooks;

import static io.synclog.views.AuditScenario.CRM;
import static io.synclog.views.AuditScenario.INVALID;
import static io.synclog.views.AuditScenario.LOCKED;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.testing.SparkExtension;
import io.synclog.views.AuditQueries;
import io.synclog.views.AuditScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebooks under notebooks/: their Databricks source format, their agreement with the query
 * resources, and every SQL cell executed in order against tables written by real runs, registered
 * as database sync_audit (as on Databricks).
 */
@ExtendWith(SparkExtension.class)
class NotebooksTest {
  private static final Path NOTEBOOKS = Path.of("notebooks");
  private static final String HEADER = "# Databricks notebook source";
  private static final String USE = "USE sync_audit";
  private static final String RULES_VIEW = "CREATE OR REPLACE TEMPORARY VIEW error_rules AS\n";

  /** Each notebook's SQL cells' results, in cell order (USE and CREATE give no rows). */
  private static final Map<String, List<List<Row>>> results = new LinkedHashMap<>();

  private static String currentDatabase;

  @BeforeAll
  static void runEveryCell(@TempDir Path catalog) throws IOException {
    AuditScenario scenario = AuditScenario.get();
    SparkSession spark = SparkExtension.spark();
    currentDatabase = spark.catalog().currentDatabase();
    spark.sql("CREATE DATABASE sync_audit LOCATION '" + catalog.resolve("sync_audit.db") + "'");
    for (String table : List.of("sync_changelog", "sync_snapshot", "sync_runs")) {
      spark.sql(
          "CREATE TABLE sync_audit."
              + table
              + " USING delta LOCATION '"
              + scenario.table(table)
              + "'");
    }
    for (Path notebook : notebooks()) {
      List<List<Row>> answers = new ArrayList<>();
      for (String sql : sqlCells(notebook)) {
        answers.add(spark.sql(sql).collectAsList());
      }
      results.put(notebook.getFileName().toString(), answers);
    }
  }

  @AfterAll
  static void restoreSession() {
    SparkSession spark = SparkExtension.spark();
    spark.sql("USE " + currentDatabase);
    spark.catalog().dropTempView("error_rules");
    spark.sql("DROP DATABASE IF EXISTS sync_audit CASCADE");
  }

  static List<Path> notebooks() throws IOException {
    try (Stream<Path> files = Files.list(NOTEBOOKS)) {
      return files.filter(p -> p.toString().endsWith(".py")).sorted().toList();
    }
  }

  /** The cells of a notebook in Databricks source format. */
  static List<String> cells(Path notebook) throws IOException {
    String text = Files.readString(notebook);
    assertThat(text).as(notebook + " starts with the source header").startsWith(HEADER + "\n");
    return Stream.of(text.substring(HEADER.length()).split("\n# COMMAND ----------\n"))
        .map(String::strip)
        .toList();
  }

  /** The SQL of each %sql cell, with the "# MAGIC " prefixes removed. */
  static List<String> sqlCells(Path notebook) throws IOException {
    List<String> out = new ArrayList<>();
    for (String cell : cells(notebook)) {
      List<String> lines = cell.lines().toList();
      if (!lines.get(0).equals("# MAGIC %sql")) {
        continue;
      }
      out.add(
          lines.subList(1, lines.size()).stream()
              .peek(l -> assertThat(l).as("a line of a %sql cell").startsWith("# MAGIC"))
              .map(l -> l.equals("# MAGIC") ? "" : l.substring("# MAGIC ".length()))
              .collect(Collectors.joining("\n")));
    }
    return out;
  }

  private static List<Row> answer(String notebook, int sqlCell) {
    assertThat(results).containsKey(notebook);
    return results.get(notebook).get(sqlCell);
  }

  private static <T> List<T> column(List<Row> rows, Function<Row, T> f) {
    return rows.stream().map(f).toList();
  }

  @Test
  void everyNotebookIsDatabricksSourceAndStartsByDocumentingWhereTheTablesAre() throws IOException {
    assertThat(notebooks()).hasSize(7);
    for (Path notebook : notebooks()) {
      List<String> cells = cells(notebook);
      assertThat(cells.get(0))
          .as(notebook + ": first cell")
          .startsWith("# MAGIC %md")
          .contains("USE sync_audit", "CREATE TABLE sync_audit.sync_changelog USING delta");
      assertThat(sqlCells(notebook)).as(notebook.toString()).first().isEqualTo(USE);
      for (String cell : cells) {
        assertThat(cell.lines().allMatch(l -> l.startsWith("# MAGIC")))
            .as(notebook + ": cells are %md or %sql only: " + cell.lines().findFirst().orElse(""))
            .isTrue();
      }
    }
  }

  @Test
  void theNotebooksCellsAreTheQueryResourcesWordForWord() throws IOException {
    Map<String, String> byText = new LinkedHashMap<>();
    for (String name : AuditQueries.NAMES) {
      byText.put(AuditQueries.text(name), name);
      byText.put(RULES_VIEW + AuditQueries.text(name), name);
    }
    List<String> used = new ArrayList<>();
    for (Path notebook : notebooks()) {
      for (String sql : sqlCells(notebook)) {
        if (sql.equals(USE)) {
          continue;
        }
        assertThat(byText).as(notebook + ": a cell no resource holds:\n" + sql).containsKey(sql);
        if (sql.startsWith(RULES_VIEW)) {
          assertThat(byText.get(sql)).isEqualTo(AuditQueries.ERROR_RULES);
        }
        used.add(byText.get(sql));
      }
    }
    assertThat(used).containsExactlyInAnyOrderElementsOf(AuditQueries.NAMES);
  }

  @Test
  void mostCommonErrorsIsTheErrorInjectedMost() {
    List<Row> errors = answer("01_most_common_errors.py", 1);
    assertThat(column(errors, r -> r.getString(0) + "|" + r.getLong(1)))
        .containsExactly(INVALID + "|2", LOCKED + "|1");
    List<Row> failing = answer("01_most_common_errors.py", 2);
    assertThat(failing.get(0).<String>getAs("row_id")).isEqualTo("3");
    assertThat(failing.get(0).<Long>getAs("failures")).isEqualTo(5L);
  }

  @Test
  void aRemovedRowExitsAndEntersAgain() {
    List<Row> changes = answer("02_rows_entering_and_exiting.py", 1);
    assertThat(
            changes.stream()
                .filter(r -> r.getString(0).equals("2") && r.getString(1).equals("model " + CRM))
                .map(r -> r.getString(2) + "@" + r.get(3)))
        .containsExactly(
            "added@2026-01-01 10:00:00.0",
            "removed@2026-01-03 10:00:00.0",
            "added@2026-01-04 10:00:00.0");
  }

  @Test
  void currentRowsSpanModels() {
    List<Row> current = answer("03_current_rows.py", 1);
    assertThat(current.stream().filter(r -> r.getString(0).equals("model " + CRM))).hasSize(8);
    assertThat(current.stream().filter(r -> r.getString(1).equals("1")).map(r -> r.getString(0)))
        .containsExactly("model ads-audience", "model " + CRM);
  }

  @Test
  void errorCategoriesPutTheInjectedReasonsInTheirCategories() {
    assertThat(answer("04_error_categories.py", 1)).isEmpty();
    List<Row> categories = answer("04_error_categories.py", 2);
    assertThat(column(categories, r -> r.getString(1) + "|" + r.getLong(2)))
        .containsExactly("invalid email|7", "record locked|3", "rate limited|1", "uncategorized|1");
  }

  @Test
  void theRowThatChangedEveryRunFlapsMost() {
    List<Row> flapping = answer("05_flapping_rows.py", 1);
    assertThat(flapping.get(0).<String>getAs("row_id")).isEqualTo("7");
    assertThat(flapping.get(0).<Long>getAs("changes")).isEqualTo(5L);
    assertThat(column(flapping, r -> r.<String>getAs("row_id"))).doesNotContain("3", "12");
  }

  @Test
  void runsOverTimeShowPlannedAndFailedPerOperation() {
    List<Row> runs = answer("06_runs_over_time.py", 1);
    assertThat(runs).hasSize(6 * 3);
    Row run4Added =
        runs.stream()
            .filter(
                r -> r.getAs("sync_run_id").equals("run-4") && r.getAs("op_type").equals("added"))
            .findFirst()
            .orElseThrow();
    assertThat(
            List.of(
                run4Added.<Long>getAs("planned"),
                run4Added.<Long>getAs("failed"),
                run4Added.<Long>getAs("aborted")))
        .containsExactly(3L, 1L, 1L);
  }

  @Test
  void membershipHistoryEndsWithTheMembersTheDestinationHolds() {
    List<Row> history = answer("07_membership_history.py", 1);
    List<Row> crm = history.stream().filter(r -> r.getAs("sync_id").equals(CRM)).toList();
    assertThat(column(crm, r -> r.<Long>getAs("members_after_run")))
        .containsExactly(7L, 9L, 9L, 10L, 10L);
    assertThat(column(crm, r -> r.<Long>getAs("entered"))).containsExactly(10L, 1L, 1L, 1L, 0L);
  }
}
