package io.synclog.sink.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.log.LogTables;
import io.synclog.sink.postgres.EmbeddedPg;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example queries shipped in sql/bigquery. Every file is checked for shape: one statement, a
 * leading comment, balanced brackets and backticks, only the three tables, and only columns those
 * tables have. Those whose GoogleSQL PostgreSQL 18 also accepts after a mechanical rewrite
 * (backticks to double quotes, the dataset name) are run there on a small history and their rows
 * asserted. current_rows.sql uses QUALIFY, which PostgreSQL lacks: it is checked for shape only.
 */
class BigQueryExampleQueriesTest {
  static final List<String> FILES =
      List.of(
          "most_common_errors.sql", "model_enter_exit.sql", "current_rows.sql", "field_values.sql");
  static final String SCHEMA = "bq_queries_" + (System.nanoTime() % 100000);

  static String read(String file) throws IOException {
    try (InputStream in =
        BigQueryExampleQueriesTest.class.getResourceAsStream("/sql/bigquery/" + file)) {
      assertThat(in).as(file).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void everyQueryIsOneStatementOverTheThreeTablesAndTheirColumns() throws IOException {
    Map<String, Set<String>> columns =
        Map.of(
            "c", names(LogTables.changelogSchema(true).fieldNames()),
            "s", names(LogTables.snapshotSchema(true).fieldNames()),
            "r", names(LogTables.runsSchema().fieldNames()));
    for (String file : FILES) {
      String sql = read(file);
      assertThat(sql).as(file).startsWith("-- ");
      String code = sql.replaceAll("(?m)--.*$", "").replaceAll("'[^']*'", "''");
      assertThat(code).as(file).doesNotContain(";").doesNotContain("\"").doesNotContain("::");
      assertThat(count(code, '(')).as(file + " parentheses").isEqualTo(count(code, ')'));
      assertThat(count(code, '`') % 2).as(file + " backticks").isZero();
      Matcher tables = Pattern.compile("(?<!DISTINCT )\\b(?:FROM|JOIN)\\s+([\\w.]+)").matcher(code);
      while (tables.find()) {
        assertThat(tables.group(1))
            .as(file)
            .isIn(
                "sync_audit.sync_changelog",
                "sync_audit.sync_snapshot",
                "sync_audit.sync_runs",
                "model_names",
                "details");
      }
      Matcher refs = Pattern.compile("\\b([csr])\\.(\\w+)").matcher(code);
      while (refs.find()) {
        assertThat(columns.get(refs.group(1)))
            .as(file + ": " + refs.group())
            .contains(refs.group(2));
      }
    }
  }

  @BeforeAll
  static void history() throws SQLException {
    BqNames n = new BqNames("my-proj", SCHEMA, BigQuerySqlTest.PHYSICAL);
    for (String ddl : BqDdl.statements(n, true)) {
      exec(BqToPg.ddl(ddl));
    }
    String t = "\"" + SCHEMA + "\".";
    exec(
        "INSERT INTO "
            + t
            + "sync_runs (sync_id, sync_run_id, model_name, started_at) VALUES"
            + " ('s1', 'r1', 'aud', '2026-03-01T10:00:00Z'), ('s1', 'r2', 'aud', '2026-03-02T10:00:00Z')");
    exec(
        "INSERT INTO "
            + t
            + "sync_changelog (sync_id, sync_run_id, op_type, row_id, run_date) VALUES"
            + " ('s1', 'r1', 'added', 'a', '2026-03-01'), ('s1', 'r1', 'added', 'b', '2026-03-01'),"
            + " ('s1', 'r2', 'removed', 'a', '2026-03-02'), ('s1', 'r2', 'changed', 'b', '2026-03-02'),"
            + " ('s1', 'r2', 'added', 'b', '2026-03-02')");
    exec(
        "INSERT INTO "
            + t
            + "sync_snapshot (sync_id, op_type, row_id, status, failed_reason, fields) VALUES"
            + " ('s1', 'removed', 'a', 'succeeded', NULL, '{\"email\":\"a@x\"}'),"
            + " ('s1', 'changed', 'b', 'failed', 'bad email', '{\"email\":\"b@x\"}'),"
            + " ('s1', 'added', 'c', 'failed', 'bad email', '{}'),"
            + " ('s1', 'added', 'd', 'failed', 'timeout', '{\"email\":{\"nested\":1}}'),"
            + " ('s1', 'added', 'e', 'succeeded', NULL, '{}')");
  }

  @Test
  void mostCommonErrorsRunsOnPostgres() throws Exception {
    assertThat(runOnPg("most_common_errors.sql")).containsExactly("bad email|2", "timeout|1");
  }

  @Test
  void modelEnterExitRunsOnPostgres() throws Exception {
    // b's retried add in r2 is not a new entry
    assertThat(runOnPg("model_enter_exit.sql"))
        .containsExactly(
            "a|aud|added|2026-03-01T10:00:00Z",
            "a|aud|removed|2026-03-02T10:00:00Z",
            "b|aud|added|2026-03-01T10:00:00Z");
  }

  @Test
  void fieldValuesRunsOnPostgres() throws Exception {
    assertThat(runOnPg("field_values.sql"))
        .containsExactly("s1|b|b@x|bad email", "s1|c|null|bad email", "s1|d|null|timeout");
  }

  private static List<String> runOnPg(String file) throws Exception {
    String sql = read(file).replace('`', '"').replace("sync_audit.", "\"" + SCHEMA + "\".");
    List<String> out = new ArrayList<>();
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement()) {
      st.execute("SET TIME ZONE 'UTC'");
      try (ResultSet rs = st.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> cells = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            Object v = rs.getObject(i);
            cells.add(
                v instanceof java.sql.Timestamp ts ? ts.toInstant().toString() : String.valueOf(v));
          }
          out.add(String.join("|", cells));
        }
      }
    }
    System.out.println(file + " on PostgreSQL: " + out);
    return out;
  }

  private static Set<String> names(String[] fields) {
    Set<String> s = new HashSet<>(List.of(fields));
    s.add(BqDdl.FIELDS_TEXT);
    return s;
  }

  private static long count(String s, char ch) {
    return s.chars().filter(c -> c == ch).count();
  }

  private static void exec(String sql) throws SQLException {
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
