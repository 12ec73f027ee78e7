package io.synclog.views;

import static io.synclog.views.AuditScenario.CRM;
import static io.synclog.views.AuditScenario.INVALID;
import static io.synclog.views.AuditScenario.LOCKED;
import static io.synclog.views.AuditScenario.ODD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.error.SyncLogException;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The views, created over tables written by real runs ({@link AuditScenario}). */
@ExtendWith(SparkExtension.class)
class ViewsJobTest {
  private static final String MODEL = "'model " + CRM + "'";
  private static AuditScenario scenario;
  private static List<String> created;
  private static String printed;

  @BeforeAll
  static void createViews(@TempDir Path catalog) {
    scenario = AuditScenario.get();
    // A catalog folder of its own, so the test leaves nothing in the working directory.
    spark().sql("CREATE DATABASE sync_audit LOCATION '" + catalog.resolve("sync_audit.db") + "'");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    created =
        ViewsJob.run(
            spark(), scenario.config(Map.of()), new PrintStream(out, true, StandardCharsets.UTF_8));
    printed = out.toString(StandardCharsets.UTF_8);
  }

  @AfterAll
  static void dropViews() {
    spark().sql("DROP DATABASE IF EXISTS sync_audit CASCADE");
  }

  private static SparkSession spark() {
    return SparkExtension.spark();
  }

  private static List<String> view(String name, String where, String... columns) {
    return Rows.lines(spark().table("sync_audit.v_" + name).where(where), columns);
  }

  @Test
  void createsOneViewPerQueryAndSaysSo() {
    assertThat(created)
        .containsExactlyElementsOf(
            AuditQueries.NAMES.stream().map(n -> "sync_audit.v_" + n).toList());
    assertThat(printed).contains("synclog: created view sync_audit.v_errors_by_category");
    assertThat(Rows.lines(spark().sql("SHOW VIEWS IN sync_audit"), "viewName"))
        .contains("v_current_members", "v_membership_changes", "v_flapping_rows");
  }

  @Test
  void mostCommonErrorsAreTheSnapshotsFailedReasons() {
    assertThat(spark().table("sync_audit.v_most_common_errors").collectAsList())
        .extracting(r -> r.getString(0) + "|" + r.getLong(1))
        .containsExactly(INVALID + "|2", LOCKED + "|1");
  }

  @Test
  void errorsByCategoryUsesTheRulesAndKeepsUnknownReasonsApart() {
    assertThat(
            view(
                "errors_by_category",
                "sync_id = '" + CRM + "'",
                "category",
                "failures",
                "failed_rows",
                "example_reason"))
        .containsExactly(
            "invalid email|7|3|" + INVALID,
            "rate limited|1|1|" + AuditScenario.RATE,
            "record locked|3|2|" + LOCKED,
            "uncategorized|1|1|" + ODD);
    assertThat(spark().table("sync_audit.v_errors_by_category").first().getString(1))
        .isEqualTo("invalid email");
    assertThat(spark().table("sync_audit.v_error_rules").count()).isEqualTo(8);
  }

  @Test
  void topFailingRowsRankTheRowThatFailedEveryRunFirst() {
    var first = spark().table("sync_audit.v_top_failing_rows").first();
    assertThat(first.<String>getAs("row_id")).isEqualTo("3");
    assertThat(first.<Long>getAs("failures")).isEqualTo(5L);
    assertThat(first.<String>getAs("latest_reason")).isEqualTo(INVALID);
  }

  @Test
  void membershipChangesShowARemovedRowLeavingAndComingBack() {
    String crm = "audience = " + MODEL;
    assertThat(view("membership_changes", crm + " AND user_id = '2'", "type", "`timestamp`"))
        .containsExactly(
            "added|2026-01-01 10:00:00.0",
            "added|2026-01-04 10:00:00.0",
            "removed|2026-01-03 10:00:00.0");
    // Row 3's add was retried in every run: it entered once.
    assertThat(view("membership_changes", crm + " AND user_id = '3'", "type"))
        .containsExactly("added");
    assertThat(view("membership_changes", crm + " AND user_id = '8'", "type"))
        .containsExactly("added", "removed");
  }

  @Test
  void currentMembersLeaveOutFailedAndRemovedRows() {
    assertThat(view("current_members", "model_name = " + MODEL, "user_id"))
        .containsExactly("1", "10", "11", "12", "2", "4", "5", "7");
    assertThat(view("current_members", "user_id = '1'", "model_name"))
        .containsExactly("model ads-audience", "model crm-contacts");
  }

  @Test
  void membershipHistoryCountsEntriesExitsAndMembersPerRun() {
    assertThat(
            view(
                "membership_history",
                "sync_id = '" + CRM + "'",
                "sync_run_id",
                "entered",
                "exited",
                "added_to_destination",
                "removed_from_destination",
                "members_after_run"))
        .containsExactly(
            "run-1|10|0|7|0|7",
            "run-2|1|0|2|0|9",
            "run-3|1|1|1|1|9",
            "run-4|1|1|1|0|10",
            "run-5|0|0|1|1|10");
    long inDestination =
        spark()
            .read()
            .format("delta")
            .load(scenario.table("sync_snapshot"))
            .where("sync_id = '" + CRM + "' AND in_destination")
            .count();
    assertThat(inDestination)
        .as("members after the last run = snapshot rows in destination")
        .isEqualTo(10L);
  }

  @Test
  void flappingRowsRankTheRowThatChangedEveryRunFirst() {
    assertThat(
            spark()
                .table("sync_audit.v_flapping_rows")
                .where("sync_id = '" + CRM + "'")
                .collectAsList())
        .extracting(r -> r.<String>getAs("row_id") + "|" + r.<Long>getAs("changes"))
        .startsWith("7|5", "2|3")
        .as("retried rows (3, 12) changed once: not listed")
        .containsExactlyInAnyOrder("7|5", "2|3", "6|2", "8|2", "9|2");
  }

  @Test
  void runsOverTimeSplitEachRunByOperation() {
    assertThat(
            view(
                "runs_over_time",
                "sync_id = '" + CRM + "' AND sync_run_id = 'run-4'",
                "op_type",
                "planned",
                "attempted",
                "succeeded",
                "failed",
                "aborted"))
        .containsExactly("added|3|2|1|1|1", "changed|1|1|1|0|0", "removed|1|1|0|1|0");
    assertThat(spark().table("sync_audit.v_runs_over_time").count()).isEqualTo(6L * 3);
  }

  @Test
  void missingTablesSkipTheirViewsAndSaySo(@TempDir Path empty) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> made =
        ViewsJob.run(
            spark(),
            scenario.config(
                Map.of("target.location", empty.toString(), "target.schema", "sync_audit")),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(made).containsExactly("sync_audit.v_error_rules");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "skipped view sync_audit.v_current_members: no Delta table at "
                + empty
                + "/sync_audit/sync_snapshot");
  }

  @Test
  void postgresTargetsAreRefusedWithAWayOut() {
    assertThatThrownBy(
            () ->
                ViewsJob.run(
                    spark(),
                    scenario.config(
                        Map.of(
                            "target.kind",
                            "postgres",
                            "target.jdbc-url",
                            "jdbc:postgresql://localhost:5432/db")),
                    System.out))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("Cannot create views for target.kind=postgres")
        .hasMessageContaining("sql/postgres/");
  }
}
