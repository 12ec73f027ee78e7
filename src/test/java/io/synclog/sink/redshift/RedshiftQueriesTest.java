package io.synclog.sink.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.sink.postgres.EmbeddedPg;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example queries shipped in {@code sql/redshift/}, run on the embedded PostgreSQL server (with
 * the Redshift shims) against tables made by the sink's own DDL and two hand-written runs: row a
 * added then removed, b failed then retried, c failed in the second run.
 */
class RedshiftQueriesTest {
  private static final String SCHEMA = "rs_queries";

  @BeforeAll
  static void tables() throws SQLException {
    RedshiftTarget.installShims();
    RsNames names =
        new RsNames(
            SCHEMA,
            Map.of(
                "changelog", "sync_changelog", "snapshot", "sync_snapshot", "runs", "sync_runs"));
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      st.execute(RsDdl.createSchema(names));
      for (String ddl : RsDdl.statements(names, true)) {
        st.execute(ddl);
      }
      String runs =
          "INSERT INTO "
              + SCHEMA
              + ".sync_runs (sync_id, sync_run_id, model_name, status, started_at,"
              + " num_planned_add, num_attempted_add, num_succeeded_add, num_failed_add,"
              + " num_planned_change, num_attempted_change, num_succeeded_change,"
              + " num_failed_change, num_planned_remove, num_attempted_remove,"
              + " num_succeeded_remove, num_failed_remove) VALUES ";
      st.execute(
          runs
              + "('s1', 'r1', 'vip', 'succeeded', '2026-03-01 00:00:00+00', 2, 2, 1, 1, 0, 0, 0,"
              + " 0, 0, 0, 0, 0), ('s1', 'r2', 'vip', 'succeeded', '2026-03-02 00:00:00+00', 2, 2,"
              + " 1, 1, 0, 0, 0, 0, 1, 1, 1, 0)");
      st.execute(
          "INSERT INTO "
              + SCHEMA
              + ".sync_changelog (sync_id, sync_run_id, op_type, row_id, status, failed_reason,"
              + " fields, run_date) VALUES"
              + " ('s1', 'r1', 'added', 'a', 'succeeded', NULL, json_parse('{\"e\":\"a@x\"}'),"
              + " '2026-03-01'),"
              + " ('s1', 'r1', 'added', 'b', 'failed', 'invalid email', json_parse('{\"e\":\"b\"}'),"
              + " '2026-03-01'),"
              + " ('s1', 'r2', 'added', 'b', 'succeeded', NULL, json_parse('{\"e\":\"b@x\"}'),"
              + " '2026-03-02'),"
              + " ('s1', 'r2', 'removed', 'a', 'succeeded', NULL, json_parse('{\"e\":\"a@x\"}'),"
              + " '2026-03-02'),"
              + " ('s1', 'r2', 'added', 'c', 'failed', 'rate limited', json_parse('{\"e\":\"c@x\"}'),"
              + " '2026-03-02')");
      st.execute(
          "INSERT INTO "
              + SCHEMA
              + ".sync_snapshot (sync_id, op_type, row_id, status, failed_reason, fields,"
              + " fields_text, in_destination, last_sync_run_id) VALUES"
              + " ('s1', 'added', 'b', 'succeeded', NULL, json_parse('{\"e\":\"b@x\"}'),"
              + " '{\"e\":\"b@x\"}', true, 'r2'),"
              + " ('s1', 'added', 'c', 'failed', 'rate limited', json_parse('{\"e\":\"c@x\"}'),"
              + " '{\"e\":\"c@x\"}', false, 'r2')");
    }
  }

  private static List<String> run(String file) throws SQLException, IOException {
    String sql;
    try (InputStream in = RedshiftQueriesTest.class.getResourceAsStream("/sql/redshift/" + file)) {
      assertThat(in).as(file).isNotNull();
      sql =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace("sync_audit.", SCHEMA + ".");
    }
    List<String> out = new ArrayList<>();
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          cells.add(String.valueOf(rs.getString(i)));
        }
        out.add(String.join("|", cells));
      }
    }
    System.out.println(file + ":\n  " + String.join("\n  ", out));
    return out;
  }

  @Test
  void mostCommonErrors() throws Exception {
    assertThat(run("most_common_errors.sql")).containsExactly("rate limited|1");
  }

  @Test
  void currentMembers() throws Exception {
    assertThat(run("current_members.sql")).containsExactly("vip|b");
  }

  @Test
  void membershipChangesCountARetriedAddOnce() throws Exception {
    assertThat(run("membership_changes.sql"))
        .containsExactly(
            "a|vip|added|2026-03-01 00:00:00+00",
            "a|vip|removed|2026-03-02 00:00:00+00",
            "b|vip|added|2026-03-01 00:00:00+00",
            "c|vip|added|2026-03-02 00:00:00+00");
  }

  @Test
  void runsOverTime() throws Exception {
    assertThat(run("runs_over_time.sql"))
        .containsExactly(
            "s1|r1|vip|2026-03-01 00:00:00+00|succeeded|added|2|2|1|1|0",
            "s1|r1|vip|2026-03-01 00:00:00+00|succeeded|changed|0|0|0|0|0",
            "s1|r1|vip|2026-03-01 00:00:00+00|succeeded|removed|0|0|0|0|0",
            "s1|r2|vip|2026-03-02 00:00:00+00|succeeded|added|2|2|1|1|0",
            "s1|r2|vip|2026-03-02 00:00:00+00|succeeded|changed|0|0|0|0|0",
            "s1|r2|vip|2026-03-02 00:00:00+00|succeeded|removed|1|1|1|0|0");
  }

  @Test
  void topFailingRows() throws Exception {
    assertThat(run("top_failing_rows.sql"))
        .containsExactly(
            "s1|b|1|1|invalid email|2026-03-01 00:00:00+00",
            "s1|c|1|1|rate limited|2026-03-02 00:00:00+00");
  }

  @Test
  void failedFieldsComeBackAsTheComparedText() throws Exception {
    assertThat(run("failed_fields.sql")).containsExactly("s1|c|rate limited|{\"e\":\"c@x\"}");
  }
}
