package io.synclog.sink.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.config.Secret;
import io.synclog.sink.TableView;
import io.synclog.sink.postgres.EmbeddedPg;
import io.synclog.sink.postgres.PostgresTarget;
import io.synclog.views.CompatScenario;
import io.synclog.views.HightouchExamples;
import io.synclog.views.HightouchViews;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code views --compat hightouch} for BigQuery: the script's GoogleSQL as text and as sent over
 * REST (to {@link BigQueryStub}), then its meaning on the embedded PostgreSQL server through the
 * mechanical rewrite of {@link BqToPg}, over the scenario's tables, where the reference's queries
 * answer. What only BigQuery shows: its refusal to replace a table with a view, and the dataset's
 * location.
 */
class CompatViewsBigQueryTest {
  private static List<TableView> views(List<String> columns) {
    return HightouchViews.ALL.stream().map(v -> v.over(columns)).toList();
  }

  @Test
  void theScriptCreatesTheDatasetThenEachViewUnderBacktickedPaths() {
    List<String> script =
        BqViews.statements(
            new BqNames("my-proj", "sync_audit", BigQuerySqlTest.PHYSICAL),
            "hightouch_audit",
            views(List.of()));
    assertThat(script).hasSize(4);
    assertThat(script.get(0)).isEqualTo("CREATE SCHEMA IF NOT EXISTS `my-proj.hightouch_audit`");
    assertThat(script.get(1))
        .isEqualTo(
            """
            CREATE OR REPLACE VIEW `my-proj.hightouch_audit.sync_changelog` AS
            SELECT
              sync_id,
              sync_run_id,
              op_type,
              row_id,
              status,
              failed_reason AS failure_reason,
              fields
            FROM `my-proj.sync_audit.sync_changelog`""");
    assertThat(script.get(3))
        .startsWith("CREATE OR REPLACE VIEW `my-proj.hightouch_audit.sync_runs` AS\nSELECT\n")
        .contains("  num_failed_remove\nFROM `my-proj.sync_audit.sync_runs`");
  }

  @Test
  void theScriptIsOneQueryJobAndAMissingTableHasNoColumns() throws Exception {
    try (BigQueryStub stub = new BigQueryStub()) {
      BigQuerySettings s =
          new BigQuerySettings(
              "stub-proj",
              "bill-proj",
              "sync_audit",
              "oauth",
              null,
              null,
              Secret.of("t0k3n"),
              "indirect",
              "b12/x",
              stub.endpoint());
      BqViews bq = BqViews.open(s, BigQuerySqlTest.PHYSICAL);
      assertThat(bq.columns("snapshot")).isEmpty();
      bq.replace("hightouch_audit", views(List.of()));
      assertThat(stub.insertedJobs()).hasSize(1);
      assertThat(
              stub.insertedJobs().get(0).path("configuration").path("query").path("query").asText())
          .isEqualTo(
              String.join(
                  ";\n",
                  BqViews.statements(
                      new BqNames("stub-proj", "sync_audit", BigQuerySqlTest.PHYSICAL),
                      "hightouch_audit",
                      views(List.of()))));
      assertThat(bq.display("hightouch_audit", "sync_runs"))
          .isEqualTo("stub-proj.hightouch_audit.sync_runs");
    }
  }

  @Test
  void onTheStandInTheViewsAnswerTheReferenceQueries() throws SQLException {
    String ns = CompatScenario.namespace(PostgresTarget.INSTANCE);
    List<String> script =
        BqViews.statements(
            new BqNames("my-proj", ns, BigQuerySqlTest.PHYSICAL), "bq_hightouch", views(List.of()));
    try (Connection c =
            DriverManager.getConnection(
                EmbeddedPg.url(), EmbeddedPg.APP_USER, EmbeddedPg.APP_PASSWORD);
        Statement st = c.createStatement()) {
      for (String s : script) {
        st.execute(BqToPg.statement(s, List.of()));
      }
      HightouchExamples.assertAnswers(
          "bq_hightouch",
          HightouchExamples.CURRENT_ROWS_WITHOUT_QUALIFY,
          sql -> HightouchExamples.lines(c, sql));
    }
  }
}
