package io.synclog.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.config.SyncConfig;
import io.synclog.error.SyncLogException;
import io.synclog.sink.DeltaTarget;
import io.synclog.sink.References;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code views --compat hightouch} on Delta tables by path: the views go in the session catalog's
 * {@code hightouch_audit} schema, over {@code delta.`path`}, and answer the reference's example
 * queries as Hightouch's tables would.
 */
@ExtendWith(SparkExtension.class)
class CompatViewsDeltaTest {
  private static String ns;
  private static List<String> created;
  private static String printed;

  @BeforeAll
  static void createViews() {
    ns = CompatScenario.namespace(DeltaTarget.INSTANCE);
    // a view of the same name but other columns, left by an earlier version: it is replaced
    spark().sql("CREATE SCHEMA IF NOT EXISTS hightouch_audit");
    spark().sql("CREATE OR REPLACE VIEW hightouch_audit.sync_runs AS SELECT 1 AS stale");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    created = CompatViewsJob.run(spark(), config(Map.of()), "hightouch", null, print(out));
    printed = out.toString(StandardCharsets.UTF_8);
  }

  @AfterAll
  static void dropViews() {
    spark().sql("DROP SCHEMA IF EXISTS hightouch_audit CASCADE");
  }

  private static SparkSession spark() {
    return SparkExtension.spark();
  }

  private static SyncConfig config(Map<String, String> extra) {
    return CompatScenario.config(DeltaTarget.INSTANCE, ns, extra);
  }

  private static PrintStream print(ByteArrayOutputStream out) {
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }

  @Test
  void theThreeViewsAreCreatedInHightouchAuditAndSaySo() {
    assertThat(created)
        .containsExactly(
            "hightouch_audit.sync_changelog",
            "hightouch_audit.sync_snapshot",
            "hightouch_audit.sync_runs");
    assertThat(printed)
        .contains("synclog: created view hightouch_audit.sync_snapshot")
        .contains("failure_reason is synclog's failed_reason");
    assertThat(spark().table("hightouch_audit.sync_changelog").columns())
        .containsExactlyElementsOf(HightouchViews.CHANGELOG.columnNames().subList(0, 7));
    assertThat(spark().table("hightouch_audit.sync_snapshot").columns())
        .containsExactlyElementsOf(HightouchViews.SNAPSHOT.columnNames().subList(0, 7));
    assertThat(spark().table("hightouch_audit.sync_runs").columns())
        .containsExactlyElementsOf(HightouchViews.RUNS.columnNames());
    assertThat(spark().sql("SHOW CREATE TABLE hightouch_audit.sync_snapshot").first().getString(0))
        .contains("`failed_reason` AS `failure_reason`")
        .contains("`last_sync_run_id` AS `sync_run_id`")
        .contains("FROM delta.`file:" + References.dir().resolve(ns));
  }

  @Test
  void theReferenceExampleQueriesAnswerOverTheViews() {
    HightouchExamples.assertAnswers(
        HightouchExamples.SCHEMA,
        HightouchExamples.CURRENT_ROWS_WITHOUT_QUALIFY,
        sql -> HightouchExamples.lines(spark().sql(sql)));
  }

  @Test
  void theSnapshotsSyncRunIdIsTheRunThatLastPlannedTheRow() {
    assertThat(
            HightouchExamples.lines(
                spark()
                    .sql(
                        "SELECT row_id, sync_run_id, op_type, status, failure_reason FROM"
                            + " hightouch_audit.sync_snapshot WHERE sync_id = 'crm' ORDER BY"
                            + " row_id")))
        .containsExactly(
            "1|r1|unchanged|succeeded|null",
            "2|r2|unchanged|succeeded|null",
            "3|r3|added|failed|" + CompatScenario.INVALID,
            "4|r3|changed|failed|" + CompatScenario.LOCKED,
            "5|r1|unchanged|succeeded|null",
            "7|r3|added|succeeded|null",
            "8|r3|added|failed|" + CompatScenario.INVALID);
  }

  @Test
  void rerunningReplacesTheViewsAndLeavesTheTablesAsTheyWere() {
    String history = "DESCRIBE HISTORY delta.`%s` LIMIT 1";
    List<String> before = tableVersions(history);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(CompatViewsJob.run(spark(), config(Map.of()), "hightouch", null, print(out)))
        .hasSize(3);
    assertThat(tableVersions(history)).isEqualTo(before);
    assertThat(spark().table("hightouch_audit.sync_runs").count()).isEqualTo(4);
  }

  private static List<String> tableVersions(String history) {
    return java.util.stream.Stream.of("sync_changelog", "sync_snapshot", "sync_runs")
        .map(
            t ->
                t
                    + "@"
                    + spark()
                        .sql(
                            String.format(
                                history,
                                References.dir().resolve(ns).resolve("warehouse/sync_audit/" + t)))
                        .first()
                        .getAs("version"))
        .toList();
  }

  @Test
  void aTableHoldingAViewsNameIsNeverReplaced() throws Exception {
    String schema = References.namespace("taken");
    spark().sql("CREATE SCHEMA " + schema);
    spark().sql("CREATE TABLE " + schema + ".sync_snapshot (failure_reason STRING) USING delta");
    assertThatThrownBy(
            () ->
                CompatViewsJob.run(
                    spark(),
                    config(Map.of()),
                    "hightouch",
                    schema,
                    print(new ByteArrayOutputStream())))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("Cannot create view " + schema + ".sync_snapshot")
        .hasMessageContaining("never replaces a table")
        .hasMessageContaining("--compat-schema");
    assertThat(spark().catalog().getTable(schema + ".sync_snapshot").tableType())
        .isEqualTo("MANAGED");
    assertThat(spark().catalog().tableExists(schema + ".sync_changelog"))
        .as("checked before any view is created")
        .isFalse();
    spark().sql("DROP SCHEMA " + schema + " CASCADE");
  }

  @Test
  void theTablesOwnSchemaIsRefused() {
    assertThatThrownBy(
            () ->
                CompatViewsJob.run(
                    spark(),
                    config(Map.of()),
                    "hightouch",
                    "sync_audit",
                    print(new ByteArrayOutputStream())))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("Cannot create the compatibility views in schema sync_audit")
        .hasMessageContaining("--compat-schema");
  }

  @Test
  void missingAndDisabledTablesSkipTheirViewsAndSaySo() {
    String empty = References.namespace("compat_empty");
    String schema = References.namespace("compat_none");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> made =
        CompatViewsJob.run(
            spark(),
            CompatScenario.config(
                DeltaTarget.INSTANCE, empty, Map.of("tables.enabled", "changelog,runs")),
            "hightouch",
            schema,
            print(out));
    assertThat(made).isEmpty();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "synclog: skipped view "
                + schema
                + ".sync_changelog: there is no changelog table yet (is it enabled and recorded?)")
        .contains(
            "synclog: skipped view "
                + schema
                + ".sync_snapshot: the snapshot table is disabled (tables.enabled)");
    assertThat(spark().catalog().databaseExists(schema)).isFalse();
  }

  @Test
  void splitGroupIsShownOnceTheTableHasIt() {
    var view = HightouchViews.CHANGELOG.over(List.of("sync_id", "SPLIT_GROUP"));
    assertThat(view.columnNames()).endsWith("fields", "split_group");
    assertThat(HightouchViews.CHANGELOG.over(List.of("sync_id")).columnNames())
        .doesNotContain("split_group");
    assertThat(Rows.lines(spark().table("hightouch_audit.sync_runs"), "sync_id", "model_name"))
        .containsExactly("ads|audience", "braze|customers", "crm|customers", "crm|customers");
  }
}
