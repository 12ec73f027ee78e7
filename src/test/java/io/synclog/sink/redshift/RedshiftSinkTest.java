package io.synclog.sink.redshift;

import static io.synclog.log.LogTables.CHANGELOG;
import static io.synclog.log.LogTables.RUNS;
import static io.synclog.log.LogTables.SNAPSHOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.spark_redshift_community.spark.redshift.DefaultSource;
import io.synclog.error.SyncLogException;
import io.synclog.job.RunSummary;
import io.synclog.sink.FaultHook;
import io.synclog.sink.References;
import io.synclog.sink.Scenario;
import io.synclog.sink.SinkHarness;
import io.synclog.sink.postgres.EmbeddedPg;
import io.synclog.testing.SparkExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redshift-specific behaviour of the whole sink, through the connector stand-in on PostgreSQL: what
 * the connector is given, that its one transaction is the commit, model reads through the
 * connector, and that the password reaches no table.
 */
@ExtendWith(SparkExtension.class)
class RedshiftSinkTest {
  private static final RedshiftTarget TARGET = RedshiftTarget.INSTANCE;

  private static SinkHarness harness(String ns) {
    return new SinkHarness(References.dir(), TARGET, ns, "s1");
  }

  @Test
  void oneConnectorWriteCommitsTheRunAndAFailureBeforeCommitLeavesNothing() {
    String ns = References.namespace("rs_atomic");
    SinkHarness h = harness(ns);
    Scenario.Step step = Scenario.STEPS.get(0);
    h.model(step.runId(), step.model());
    h.statuses(step.runId(), step.statuses());
    DefaultSource.FAIL_BEFORE_COMMIT.set(ns + "\".\"" + RsNames.STAGING_PREFIX);
    assertThatThrownBy(() -> h.rerun(step, FaultHook.NONE))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("injected failure before COMMIT")
        .hasMessageContaining("sync 's1', run 'r1'")
        .extracting(e -> ((SyncLogException) e).code())
        .isEqualTo("WRITE_FAILED");
    for (String table : List.of(CHANGELOG, SNAPSHOT, RUNS)) {
      assertThat(TARGET.rows(ns, table)).as(table + " after the failed commit").isEmpty();
    }
    assertThat(TARGET.leftovers(ns)).as("staging tables").isEmpty();

    int before = DefaultSource.WRITES.size();
    RunSummary rerun = h.rerun(step, FaultHook.NONE);
    assertThat(rerun.outcome())
        .isEqualTo(RunSummary.RECORDED + " (resumed an interrupted attempt)");
    assertThat(TARGET.rows(ns, CHANGELOG)).hasSize(3);
    assertThat(TARGET.rows(ns, RUNS)).hasSize(1);
    assertThat(TARGET.leftovers(ns)).isEmpty();
    for (String table : List.of(CHANGELOG, SNAPSHOT, RUNS)) {
      assertThat(String.join("\n", TARGET.rows(ns, table)))
          .as("no password in " + table)
          .doesNotContain(EmbeddedPg.APP_PASSWORD);
    }
    assertThat(h.sink().describe()).doesNotContain(EmbeddedPg.APP_PASSWORD).contains(ns);

    List<Map<String, String>> writes =
        DefaultSource.WRITES.subList(before, DefaultSource.WRITES.size()).stream()
            .filter(w -> w.get("dbtable").startsWith("\"" + ns + "\"."))
            .toList();
    assertThat(writes).as("one connector write per commit").hasSize(1);
    Map<String, String> w = writes.get(0);
    assertThat(w.get("dbtable")).matches("\"" + ns + "\"\\.\"_synclog_stage_[0-9a-f]{16}_commit\"");
    assertThat(w)
        .containsEntry("tempdir", RedshiftTarget.TEMP_DIR)
        .containsEntry("aws_iam_role", RedshiftTarget.IAM_ROLE)
        .containsEntry("tempformat", "AVRO")
        .containsEntry("include_column_list", "true")
        .containsEntry("copyretrycount", "0")
        .containsEntry("jdbcdriver", "org.postgresql.Driver")
        .doesNotContainKey("preactions");
    assertThat(w.get("postactions").split(";"))
        .hasSize(8)
        .satisfies(a -> assertThat(a[0]).startsWith("UPDATE \"" + ns + "\".\"_synclog_locks\""))
        .satisfies(a -> assertThat(a[7]).startsWith("INSERT INTO \"" + ns + "\".\"sync_runs\""));
  }

  @Test
  void readsTheModelThroughTheConnector() throws SQLException {
    String ns = References.namespace("rs_model");
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + ns + " AUTHORIZATION " + EmbeddedPg.APP_USER);
      st.execute("CREATE TABLE " + ns + ".customers (id bigint, email text, plan text)");
      st.execute(
          "INSERT INTO "
              + ns
              + ".customers VALUES (1, 'a@x', 'pro'), (2, 'b@x', 'free'), (3, 'c@x', 'pro')");
      st.execute("ALTER TABLE " + ns + ".customers OWNER TO " + EmbeddedPg.APP_USER);
    }
    SinkHarness h = harness(ns);
    h.set("model.connector", "redshift").set("model.table", ns + ".Customers");
    Scenario.Step step = Scenario.STEPS.get(0);
    h.statuses(step.runId(), step.statuses());
    assertThat(h.rerun(step, FaultHook.NONE).outcome()).isEqualTo(RunSummary.RECORDED);
    assertThat(TARGET.rows(ns, SNAPSHOT))
        .extracting(l -> l.split("\\|")[2])
        .containsExactlyInAnyOrder("1", "2", "3");
    assertThat(DefaultSource.WRITES).isNotEmpty();
  }
}
