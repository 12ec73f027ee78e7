package io.synclog.sink.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.sink.postgres.EmbeddedPg;
import io.synclog.sink.postgres.PostgresTarget;
import io.synclog.sink.warehouse.WarehouseNames;
import io.synclog.sink.warehouse.WarehouseViews;
import io.synclog.testing.SparkExtension;
import io.synclog.views.CompatScenario;
import io.synclog.views.CompatViewsJob;
import io.synclog.views.HightouchExamples;
import io.synclog.views.HightouchViews;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code views --compat hightouch} for Redshift: the views' SQL as text, then the whole command
 * through the Redshift sink, its JDBC played by the embedded PostgreSQL server, over tables of the
 * Redshift layout (lower-case names, one column per reference column; here written by the
 * PostgreSQL sink). What only Redshift shows: that it replaces a view only with the same columns,
 * which is why a view whose columns changed is dropped first.
 */
@ExtendWith(SparkExtension.class)
class CompatViewsRedshiftTest {
  private static final Map<String, String> PHYSICAL =
      Map.of("changelog", "sync_changelog", "snapshot", "sync_snapshot", "runs", "sync_runs");

  @Test
  void eachViewSelectsItsColumnsQuotedAndLowerCasedUnderHightouchsNames() {
    String sql =
        WarehouseViews.createView(
            new WarehouseNames(RedshiftDialect.INSTANCE, "hightouch_audit", Map.of()),
            new WarehouseNames(RedshiftDialect.INSTANCE, "Sync_Audit", PHYSICAL),
            HightouchViews.SNAPSHOT.over(List.of("sync_id", "split_group")));
    assertThat(sql)
        .isEqualTo(
            """
            CREATE OR REPLACE VIEW "hightouch_audit"."sync_snapshot" AS
            SELECT
              "sync_id",
              "last_sync_run_id" AS "sync_run_id",
              "op_type",
              "row_id",
              "status",
              "failed_reason" AS "failure_reason",
              "fields",
              "split_group"
            FROM "sync_audit"."sync_snapshot\"""");
  }

  @Test
  void onTheStandInTheViewsAnswerTheReferenceQueries() throws SQLException {
    String ns = CompatScenario.namespace(PostgresTarget.INSTANCE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> made =
        CompatViewsJob.run(
            SparkExtension.spark(),
            CompatScenario.config(RedshiftTarget.INSTANCE, ns, Map.of()),
            HightouchViews.NAME,
            "rs_hightouch",
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(made)
        .containsExactly(
            "rs_hightouch.sync_changelog", "rs_hightouch.sync_snapshot", "rs_hightouch.sync_runs");
    try (Connection c = EmbeddedPg.admin()) {
      HightouchExamples.assertAnswers(
          "rs_hightouch",
          HightouchExamples.CURRENT_ROWS_WITHOUT_QUALIFY,
          sql -> HightouchExamples.lines(c, sql));
    }
  }
}
