package io.synclog.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.config.SyncConfig;
import io.synclog.error.SyncLogException;
import io.synclog.sink.postgres.EmbeddedPg;
import io.synclog.sink.postgres.PostgresTarget;
import io.synclog.testing.SparkExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code views --compat hightouch} on PostgreSQL (the embedded server, as the password-protected
 * app user): the views go in the {@code hightouch_audit} schema of the database and answer the
 * reference's example queries as Hightouch's tables would.
 */
@ExtendWith(SparkExtension.class)
class CompatViewsPostgresTest {
  private static String ns;
  private static List<String> created;

  @BeforeAll
  static void createViews() throws SQLException {
    ns = CompatScenario.namespace(PostgresTarget.INSTANCE);
    // a view of the same name but other columns, left by an earlier version: it is replaced
    admin(
        "CREATE SCHEMA IF NOT EXISTS hightouch_audit AUTHORIZATION " + EmbeddedPg.APP_USER,
        "SET ROLE " + EmbeddedPg.APP_USER,
        "CREATE OR REPLACE VIEW hightouch_audit.sync_runs AS SELECT 1 AS stale");
    created = run(null, new ByteArrayOutputStream());
  }

  private static SyncConfig config() {
    return CompatScenario.config(PostgresTarget.INSTANCE, ns, Map.of());
  }

  private static List<String> run(String schema, ByteArrayOutputStream out) {
    return CompatViewsJob.run(
        SparkExtension.spark(),
        config(),
        "hightouch",
        schema,
        new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  private static void admin(String... statements) throws SQLException {
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private static List<String> query(String sql) {
    try (Connection c = EmbeddedPg.admin()) {
      return HightouchExamples.lines(c, sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> columns(String schema, String table) {
    return PostgresTarget.query(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND"
            + " table_name = ? ORDER BY ordinal_position",
        schema,
        table);
  }

  @Test
  void theThreeViewsAreCreatedInHightouchAudit() {
    assertThat(created)
        .containsExactly(
            "hightouch_audit.sync_changelog",
            "hightouch_audit.sync_snapshot",
            "hightouch_audit.sync_runs");
    assertThat(columns("hightouch_audit", "sync_changelog"))
        .containsExactlyElementsOf(HightouchViews.CHANGELOG.columnNames().subList(0, 7));
    assertThat(columns("hightouch_audit", "sync_snapshot"))
        .containsExactlyElementsOf(HightouchViews.SNAPSHOT.columnNames().subList(0, 7));
    assertThat(columns("hightouch_audit", "sync_runs"))
        .containsExactlyElementsOf(HightouchViews.RUNS.columnNames());
    assertThat(
            PostgresTarget.query(
                "SELECT definition FROM pg_views WHERE schemaname = 'hightouch_audit' AND"
                    + " viewname = 'sync_snapshot'"))
        .singleElement()
        .asString()
        .contains("last_sync_run_id AS sync_run_id")
        .contains("failed_reason AS failure_reason")
        .contains("FROM " + ns + ".sync_snapshot");
  }

  @Test
  void theReferenceExampleQueriesAnswerOverTheViews() {
    HightouchExamples.assertAnswers(
        HightouchExamples.SCHEMA,
        HightouchExamples.CURRENT_ROWS_WITHOUT_QUALIFY,
        CompatViewsPostgresTest::query);
  }

  @Test
  void rerunningReplacesTheViewsKeepsWhatDependsOnThemAndLeavesTheTablesAsTheyWere()
      throws SQLException {
    admin(
        "CREATE SCHEMA IF NOT EXISTS compat_models AUTHORIZATION " + EmbeddedPg.APP_USER,
        "SET ROLE " + EmbeddedPg.APP_USER,
        "CREATE OR REPLACE VIEW compat_models.errors AS SELECT failure_reason FROM"
            + " hightouch_audit.sync_snapshot WHERE failure_reason IS NOT NULL");
    List<String> before = tables();
    assertThat(run("hightouch_audit", new ByteArrayOutputStream())).hasSize(3);
    assertThat(tables()).isEqualTo(before);
    assertThat(query("SELECT count(*) FROM compat_models.errors")).containsExactly("6");
  }

  private static List<String> tables() {
    return List.of("sync_changelog", "sync_snapshot", "sync_runs").stream()
        .flatMap(t -> PostgresTarget.INSTANCE.rows(ns, t).stream())
        .toList();
  }

  @Test
  void aTableHoldingAViewsNameIsNeverReplaced() throws SQLException {
    admin(
        "CREATE SCHEMA compat_taken AUTHORIZATION " + EmbeddedPg.APP_USER,
        "SET ROLE " + EmbeddedPg.APP_USER,
        "CREATE TABLE compat_taken.sync_runs (sync_id text)");
    assertThatThrownBy(() -> run("compat_taken", new ByteArrayOutputStream()))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("Cannot create view compat_taken.sync_runs")
        .hasMessageContaining("never replaces a table");
    assertThat(columns("compat_taken", "sync_changelog"))
        .as("one transaction: no view made")
        .isEmpty();
    assertThat(columns("compat_taken", "sync_runs")).containsExactly("sync_id");
  }

  @Test
  void aFailureNamesTheSchemaAndHidesThePassword() throws SQLException {
    admin("CREATE SCHEMA compat_locked");
    assertThatThrownBy(() -> run("compat_locked", new ByteArrayOutputStream()))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("Cannot create views in compat_locked in Postgres at 127.0.0.1:")
        .hasMessageContaining("permission denied for schema compat_locked")
        .hasMessageNotContaining(EmbeddedPg.APP_PASSWORD);
  }
}
