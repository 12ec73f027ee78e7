package io.synclog.sink.postgres;

import static io.synclog.log.LogTables.CHANGELOG;
import static io.synclog.log.LogTables.RUNS;
import static io.synclog.log.LogTables.SNAPSHOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.error.SyncLogException;
import io.synclog.job.RunSummary;
import io.synclog.log.SyncRun;
import io.synclog.sink.DeltaTarget;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.References;
import io.synclog.sink.Scenario;
import io.synclog.sink.SinkHarness;
import io.synclog.sink.Sinks;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What only the Postgres sink promises, checked on a real server. */
@ExtendWith(SparkExtension.class)
class PostgresSinkTest {
  private static final PostgresTarget PG = PostgresTarget.INSTANCE;

  private static SinkHarness harness(String ns, String syncId) {
    return new SinkHarness(References.dir(), PG, ns, syncId);
  }

  /** Runs a SQL file shipped in src/main/resources/sql/postgres against a namespace. */
  private static List<String> runShippedQuery(String file, String ns) throws Exception {
    String sql;
    try (InputStream in = PostgresSinkTest.class.getResourceAsStream("/sql/postgres/" + file)) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    sql = sql.replace("sync_audit.", "\"" + ns + "\".");
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
                v instanceof java.sql.Timestamp t ? t.toInstant().toString() : String.valueOf(v));
          }
          out.add(String.join("|", cells));
        }
      }
    }
    return out;
  }

  @Test
  void theServerIsARealPostgres18StartedByTheTestsAsThisUser() throws IOException {
    assertThat(PostgresTarget.query("SELECT version()").get(0)).startsWith("PostgreSQL 18");
    // the postmaster's pid is the first line of postmaster.pid in the data directory
    String dataDir = PostgresTarget.query("SHOW data_directory").get(0);
    String pid = Files.readAllLines(Path.of(dataDir, "postmaster.pid")).get(0).trim();
    String osUser = Files.getOwner(Path.of("/proc", pid)).getName();
    System.out.println("embedded Postgres postmaster pid " + pid + " runs as OS user " + osUser);
    assertThat(osUser).isEqualTo(System.getProperty("user.name"));
  }

  @Test
  void tablesHaveTheDocumentedTypesKeysAndIndexes() {
    String ns = References.scenario(PG);
    assertThat(columnType(ns, CHANGELOG, "fields")).isEqualTo("jsonb");
    assertThat(columnType(ns, SNAPSHOT, "fields")).isEqualTo("jsonb");
    assertThat(columnType(ns, "sync_plans", "fields")).isEqualTo("json");
    assertThat(columnType(ns, RUNS, "started_at")).isEqualTo("timestamp with time zone");
    assertThat(columnType(ns, RUNS, "num_failed_remove")).isEqualTo("bigint");
    assertThat(columnType(ns, CHANGELOG, "run_date")).isEqualTo("date");
    assertThat(columnType(ns, CHANGELOG, "split_group")).isNull();
    assertThat(primaryKey(ns, SNAPSHOT)).isEqualTo("sync_id,row_id");
    assertThat(primaryKey(ns, RUNS)).isEqualTo("sync_id,sync_run_id");
    assertThat(primaryKey(ns, "_synclog_locks")).isEqualTo("sync_id");
    assertThat(
            PostgresTarget.query(
                "SELECT indexname FROM pg_indexes WHERE schemaname = ? ORDER BY 1", ns))
        .contains(
            "sync_changelog_by_run",
            "sync_changelog_by_row",
            "sync_changelog_by_date",
            "sync_snapshot_failed_reason",
            "sync_runs_latest",
            "sync_plans_by_run");
    // the snapshot's jsonb is queryable as JSON
    assertThat(
            PostgresTarget.query(
                "SELECT fields->>'plan' FROM \"" + ns + "\".sync_snapshot WHERE row_id = '1'"))
        .containsExactly("team");
  }

  private static String columnType(String ns, String table, String column) {
    List<String> t =
        PostgresTarget.query(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = ? AND"
                + " table_name = ? AND column_name = ?",
            ns,
            table,
            column);
    return t.isEmpty() ? null : t.get(0);
  }

  private static String primaryKey(String ns, String table) {
    return PostgresTarget.query(
            "SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey, a.attnum))"
                + " FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum"
                + " = ANY(i.indkey) WHERE i.indisprimary AND i.indrelid = (quote_ident(?) || '.'"
                + " || quote_ident(?))::regclass",
            ns,
            table)
        .get(0);
  }

  @Test
  void theShippedMostCommonErrorsQueryAnswers() throws Exception {
    assertThat(runShippedQuery("most_common_errors.sql", References.scenario(PG)))
        .containsExactly("rate limited|1");
  }

  @Test
  void theShippedEnterExitQueryAnswers() throws Exception {
    assertThat(runShippedQuery("model_enter_exit.sql", References.scenario(PG)))
        .containsExactly(
            "1|model s1|added|2026-03-01T10:00:00Z",
            "2|model s1|added|2026-03-01T10:00:00Z",
            "2|model s1|removed|2026-03-04T10:00:00Z",
            "3|model s1|added|2026-03-01T10:00:00Z",
            "3|model s1|removed|2026-03-02T10:00:00Z",
            "4|model s1|added|2026-03-02T10:00:00Z",
            "5|model s1|added|2026-03-03T10:00:00Z");
  }

  @Test
  void theShippedCurrentRowsQueryAnswers() throws Exception {
    assertThat(runShippedQuery("current_rows.sql", References.scenario(PG)))
        .containsExactly("model s1|1", "model s1|4");
  }

  @Test
  void aMultiRunHistoryGivesTheSameTablesAsDeltaRowForRow() {
    String pg = References.scenario(PG);
    String delta = References.scenario(DeltaTarget.INSTANCE);
    for (String table : List.of(CHANGELOG, SNAPSHOT, RUNS)) {
      List<String> expected = DeltaTarget.INSTANCE.rows(delta, table);
      assertThat(expected).as(table).isNotEmpty();
      assertThat(PG.rows(pg, table)).as(table).containsExactlyElementsOf(expected);
    }
    // the snapshot also keeps the canonical text the next diff compares, byte for byte
    List<String> deltaFields =
        Rows.lines(
            SparkExtension.spark()
                .read()
                .format("delta")
                .load(
                    References.dir()
                        .resolve(delta + "/warehouse/sync_audit/sync_snapshot")
                        .toString()),
            "row_id",
            "fields");
    assertThat(Rows.lines(PostgresTarget.table(pg, SNAPSHOT), "row_id", "fields_text"))
        .containsExactlyElementsOf(deltaFields);
  }

  @Test
  void killedBetweenStagingAndCommitLeavesNoTraceAndTheRerunWritesOneCopy() {
    String ns = References.namespace("kill");
    SinkHarness h = harness(ns, "s1");
    Scenario.Step step = Scenario.STEPS.get(0);
    List<List<String>> stagedAtCrash = new ArrayList<>();
    FaultHook kill =
        boundary -> {
          if (boundary.equals(LogSink.AFTER_SNAPSHOT)) {
            stagedAtCrash.add(PG.leftovers(ns));
            throw new IllegalStateException("killed between staging and commit");
          }
        };
    assertThatThrownBy(() -> h.run(step, kill)).hasMessageContaining("killed");
    assertThat(stagedAtCrash.get(0)).hasSize(2);
    assertThat(PG.leftovers(ns)).as("staging tables after the failure").isEmpty();
    assertThat(PG.rows(ns, CHANGELOG)).isEmpty();
    assertThat(PG.rows(ns, SNAPSHOT)).isEmpty();
    assertThat(PG.rows(ns, RUNS)).isEmpty();

    assertThat(h.rerun(step, FaultHook.NONE).outcome()).startsWith(RunSummary.RECORDED);
    assertThat(h.rerun(step, FaultHook.NONE).outcome()).isEqualTo(RunSummary.ALREADY_RECORDED);
    assertThat(PG.rows(ns, CHANGELOG))
        .extracting(l -> l.split("\\|")[3])
        .containsExactly("1", "2", "3");
    assertThat(PG.rows(ns, RUNS)).hasSize(1);
    assertThat(PG.leftovers(ns)).isEmpty();
  }

  @Test
  void aFailureInsideTheCommitTransactionIsNeverVisibleToReaders() {
    String ns = References.namespace("atomic");
    SinkHarness h = harness(ns, "s1");
    h.run(Scenario.STEPS.get(0), FaultHook.NONE);
    Map<String, List<String>> before = new LinkedHashMap<>();
    for (String t : List.of(CHANGELOG, SNAPSHOT, RUNS)) {
      before.put(t, PG.rows(ns, t));
    }
    List<String> seenByReader = new ArrayList<>();
    FaultHook failBeforeCommit =
        boundary -> {
          if (boundary.equals(PostgresLogSink.BEFORE_COMMIT)) {
            // every statement of the commit has run; another session still sees run r1 only
            seenByReader.addAll(
                PostgresTarget.query(
                    "SELECT DISTINCT sync_run_id FROM \"" + ns + "\".sync_changelog"));
            seenByReader.addAll(
                PostgresTarget.query(
                    "SELECT DISTINCT last_sync_run_id FROM \"" + ns + "\".sync_snapshot"));
            throw new IllegalStateException("failed inside the transaction");
          }
        };
    assertThatThrownBy(() -> h.run(Scenario.STEPS.get(1), failBeforeCommit))
        .hasMessageContaining("inside the transaction");
    assertThat(seenByReader).containsExactly("r1", "r1");
    before.forEach((t, rows) -> assertThat(PG.rows(ns, t)).as(t).containsExactlyElementsOf(rows));
    assertThat(PG.leftovers(ns)).isEmpty();
    assertThat(h.rerun(Scenario.STEPS.get(1), FaultHook.NONE).outcome())
        .startsWith(RunSummary.RECORDED);
    assertThat(PG.rows(ns, RUNS)).hasSize(2);
  }

  @Test
  void aWrongPasswordFailsClearlyWithoutEchoingIt() {
    String wrong = "not-" + EmbeddedPg.APP_PASSWORD;
    SyncConfig config = config(References.namespace("pw"), wrong);
    LogSink sink = Sinks.open(SparkExtension.spark(), config);
    assertThatThrownBy(sink::prepare)
        .isInstanceOf(SyncLogException.class)
        .satisfies(e -> assertThat(((SyncLogException) e).code()).isEqualTo("DATABASE_UNREACHABLE"))
        .hasMessageContaining("password authentication failed")
        .satisfies(e -> assertThat(everything(e)).doesNotContain(wrong, EmbeddedPg.APP_PASSWORD));
  }

  @Test
  void thePasswordNeverReachesTablesMessagesOrPlans() throws Exception {
    String ns = References.scenario(PG);
    SyncConfig config = config(ns, EmbeddedPg.APP_PASSWORD);
    LogSink sink = Sinks.open(SparkExtension.spark(), config);
    String pw = EmbeddedPg.APP_PASSWORD;
    assertThat(config.toString() + config.describe() + sink.describe() + sink).doesNotContain(pw);
    var lock = sink.acquire(new SyncRun("s9", "r1"), java.time.Instant.now());
    var snapshot = sink.previousSnapshot(lock);
    assertThat(snapshot.count()).isZero();
    assertThat(snapshot.queryExecution().toString()).doesNotContain(pw);
    sink.release(lock);
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                    + ns
                    + "'")) {
      List<String> tables = new ArrayList<>();
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
      assertThat(tables).contains(CHANGELOG, SNAPSHOT, RUNS, "_synclog_locks");
      for (String t : tables) {
        assertThat(
                PostgresTarget.query(
                    "SELECT coalesce(string_agg(t::text, ''), '') FROM \""
                        + ns
                        + "\".\""
                        + t
                        + "\" t"))
            .as(t)
            .allSatisfy(text -> assertThat(text).doesNotContain(pw));
      }
    }
  }

  private static String everything(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable e = t; e != null; e = e.getCause()) {
      sb.append(e).append('\n');
      for (Throwable s : e.getSuppressed()) {
        sb.append(s).append('\n');
      }
    }
    return sb.toString();
  }

  private static SyncConfig config(String ns, String password) {
    Map<String, String> settings = new LinkedHashMap<>(PG.settings(ns));
    settings.put("sync.id", "s9");
    return SyncConfig.resolve(
        new ConfigSources(Map.of(), Map.of("target.password", password), Map.of(), settings),
        SyncConfig.Need.SYNC);
  }

  @Test
  void rejectsBadSchemaAndTableNamesBeforeConnecting() {
    PgTarget nowhere = PgTarget.of("jdbc:postgresql://127.0.0.1:1/none", "u", null);
    Map<String, String> physical = Map.of("changelog", "sync_changelog");
    for (String bad : List.of("sync-audit", "x\"y", "a;drop schema public", "", "a".repeat(64))) {
      assertThatThrownBy(
              () -> new PostgresLogSink(SparkExtension.spark(), nowhere, bad, physical, true))
          .as(bad)
          .isInstanceOf(SyncLogException.class)
          .satisfies(e -> assertThat(((SyncLogException) e).code()).isEqualTo("BAD_IDENTIFIER"));
    }
    assertThatThrownBy(
            () ->
                new PostgresLogSink(
                    SparkExtension.spark(),
                    nowhere,
                    "ok",
                    Map.of("changelog", "log\"; drop table x; --"),
                    true))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("as a table name");
  }

  @Test
  void theSplitGroupColumnAppearsOnlyOnceASyncUsesSplits() {
    String ns = References.namespace("splits");
    harness(ns, "plain").run(Scenario.STEPS.get(0), FaultHook.NONE);
    assertThat(columnType(ns, CHANGELOG, "split_group")).isNull();
    assertThat(columnType(ns, SNAPSHOT, "split_group")).isNull();

    harness(ns, "ab")
        .set("split.groups", "control:50,treatment:50")
        .run(Scenario.STEPS.get(0), FaultHook.NONE);
    assertThat(columnType(ns, CHANGELOG, "split_group")).isEqualTo("text");
    assertThat(columnType(ns, SNAPSHOT, "split_group")).isEqualTo("text");
    assertThat(
            PostgresTarget.query(
                "SELECT DISTINCT coalesce(split_group, 'none') FROM \""
                    + ns
                    + "\".sync_snapshot WHERE sync_id = 'ab'"))
        .isNotEmpty()
        .allMatch(g -> g.equals("control") || g.equals("treatment"));
    assertThat(
            PostgresTarget.query(
                "SELECT count(*) FROM \""
                    + ns
                    + "\".sync_changelog WHERE sync_id = 'plain' AND"
                    + " split_group IS NULL"))
        .containsExactly("3");
  }
}
