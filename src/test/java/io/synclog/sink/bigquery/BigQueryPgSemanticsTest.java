package io.synclog.sink.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.log.LogTables;
import io.synclog.log.RunCounts;
import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import io.synclog.sink.postgres.EmbeddedPg;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sink's own statements, run for their meaning on a real PostgreSQL 18 after the mechanical
 * rewrite of {@link BqToPg}: the DDL, the lock claim, and the commit transaction's body (lock
 * check, the run's changelog rows replaced, the sync's snapshot replaced by MERGE ... ON FALSE, the
 * runs upsert), rerun, empty snapshot, lost lock and prune. What only BigQuery proves: its own
 * parsing of the script, the JSON type, multi-statement transaction isolation and DML quotas.
 */
class BigQueryPgSemanticsTest {
  private static int counter;
  private String dataset;
  private BqNames names;

  @BeforeEach
  void freshDataset() throws SQLException {
    dataset = "bq_sem_" + (++counter) + "_" + System.nanoTime() % 100000;
    names = new BqNames("my-proj", dataset, BigQuerySqlTest.PHYSICAL);
    for (String ddl : BqDdl.statements(names, true)) {
      exec(BqToPg.ddl(ddl));
    }
    exec(
        "CREATE TABLE "
            + pg(stage("changelog"))
            + " AS SELECT * FROM "
            + pg(names.qualified("changelog"))
            + " WHERE false");
    exec(
        "CREATE TABLE "
            + pg(stage("snapshot"))
            + " AS SELECT * FROM "
            + pg(names.qualified("snapshot"))
            + " WHERE false");
  }

  private String stage(String logical) {
    return names.path(BqNames.stagingName(new SyncRun("s1", "r1"), logical));
  }

  private static String pg(String bqPath) {
    return BqToPg.statement(bqPath, List.of());
  }

  static final Instant STARTED = Instant.parse("2026-03-01T10:00:00Z");

  static RunRecord run(String runId, Instant startedAt, long added) {
    return new RunRecord(
        "s1",
        runId,
        "id",
        "Salesforce",
        "model",
        "m1",
        "succeeded",
        null,
        startedAt,
        startedAt.plusSeconds(60),
        RunCounts.of(List.of(new RunCounts.Cell("added", "succeeded", added))),
        0,
        0,
        "id:string",
        startedAt.plusSeconds(90));
  }

  private List<BqParam> params(String runId, Instant startedAt) {
    RunLock lock =
        new RunLock(new SyncRun("s1", runId), RunLock.RECORDING, 0, startedAt, null, false);
    return BigQueryLogSink.commitParams(
        lock,
        new RunOutput(
            null,
            null,
            run(runId, startedAt, 2),
            LocalDate.ofInstant(startedAt, java.time.ZoneOffset.UTC)));
  }

  private void claim(String runId) throws SQLException {
    List<BqParam> p = new ArrayList<>(BigQueryLogSink.ids(new SyncRun("s1", runId)));
    p.add(new BqParam("started_at", "TIMESTAMP", BqValues.timestamp(STARTED)));
    exec(BqToPg.statement(BqSql.claim(names), p));
  }

  /** The commit body, in one transaction, as the sink's script runs it. */
  private void commit(String runId) throws SQLException {
    List<String> body =
        BqSql.commitBody(
            names,
            stage("changelog"),
            LogTables.changelogSchema(false),
            stage("snapshot"),
            LogTables.snapshotSchema(false));
    List<BqParam> params = params(runId, STARTED);
    try (Connection c = EmbeddedPg.admin()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String s : body) {
          st.execute(BqToPg.statement(s, params));
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private void stageRows(String runId, String... rowIds) throws SQLException {
    exec("DELETE FROM " + pg(stage("changelog")));
    exec("DELETE FROM " + pg(stage("snapshot")));
    for (String id : rowIds) {
      String fields = "{\"id\":\"" + id + "\",\"note\":\"it's\"}";
      exec(
          "INSERT INTO "
              + pg(stage("changelog"))
              + " VALUES ('s1', '"
              + runId
              + "', 'added', '"
              + id
              + "', 'succeeded', NULL, '"
              + fields.replace("'", "''")
              + "'::jsonb, 7, DATE '2026-03-01')");
      exec(
          "INSERT INTO "
              + pg(stage("snapshot"))
              + " VALUES ('s1', 'added', '"
              + id
              + "', 'succeeded', NULL, '"
              + fields.replace("'", "''")
              + "'::jsonb, 7, true, '"
              + runId
              + "', '"
              + fields.replace("'", "''")
              + "')");
    }
  }

  @Test
  void replacesOneSyncsSnapshotAndIsIdempotentPerRun() throws SQLException {
    exec(
        "INSERT INTO "
            + pg(names.qualified("snapshot"))
            + " (sync_id, row_id, status, fields, fields_text) VALUES"
            + " ('s1', 'old', 'succeeded', '{}', '{}'), ('s2', 'other', 'failed', '{}', '{}')");
    claim("r1");
    stageRows("r1", "a", "b");
    commit("r1");
    List<String> snapshot =
        query(
            "SELECT sync_id || ':' || row_id || ':' || coalesce(fields->>'note', 'null') FROM "
                + pg(names.qualified("snapshot")));
    assertThat(snapshot)
        .as("snapshot")
        .containsExactlyInAnyOrder("s1:a:it's", "s1:b:it's", "s2:other:null");
    List<String> changelog = changelogRows();
    assertThat(changelog).containsExactlyInAnyOrder("s1|r1|a", "s1|r1|b");
    List<String> runs = runsRows();
    assertThat(runs).containsExactly("s1|r1|2|2026-03-01 10:00:00+00");

    // a rerun of the same run leaves the same tables: no duplicate changelog rows or runs
    commit("r1");
    assertThat(changelogRows()).as("changelog after rerun").isEqualTo(changelog);
    assertThat(
            query(
                "SELECT sync_id || ':' || row_id || ':' || coalesce(fields->>'note', 'null') FROM "
                    + pg(names.qualified("snapshot"))))
        .containsExactlyInAnyOrderElementsOf(snapshot);
    assertThat(runsRows()).isEqualTo(runs);
  }

  @Test
  void anEmptySnapshotRemovesTheSyncsRowsOnly() throws SQLException {
    exec(
        "INSERT INTO "
            + pg(names.qualified("snapshot"))
            + " (sync_id, row_id, status, fields, fields_text) VALUES"
            + " ('s1', 'gone', 'succeeded', '{}', '{}'), ('s2', 'kept', 'succeeded', '{}', '{}')");
    claim("r1");
    stageRows("r1");
    commit("r1");
    assertThat(query("SELECT sync_id || ':' || row_id FROM " + pg(names.qualified("snapshot"))))
        .containsExactly("s2:kept");
  }

  @Test
  void withoutTheLockNothingIsWritten() throws SQLException {
    claim("r1");
    // another run cannot claim the held sync
    claim("r2");
    assertThat(query("SELECT sync_run_id FROM " + pg(names.qualified(BqNames.LOCKS))))
        .containsExactly("r1");
    exec("DELETE FROM " + pg(names.qualified(BqNames.LOCKS)));
    stageRows("r1", "a");
    assertThatThrownBy(() -> commit("r1"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining(BqSql.LOCK_LOST);
    assertThat(changelogRows()).isEmpty();
    assertThat(runsRows()).isEmpty();
  }

  @Test
  void pruneKeepsEachSyncsLatestRun() throws SQLException {
    claim("r1");
    stageRows("r1", "a");
    commit("r1");
    List<BqParam> later = params("r2", STARTED.plusSeconds(86_400));
    exec(BqToPg.statement(BqSql.upsertRun(names), later));
    List<BqParam> cutoff =
        List.of(
            new BqParam("cutoff", "TIMESTAMP", BqValues.timestamp(STARTED.plusSeconds(200_000))),
            new BqParam("cutoff_date", "DATE", "2026-03-02"));
    exec(BqToPg.statement(BqSql.pruneRuns(names, false), cutoff));
    exec(BqToPg.statement(BqSql.pruneChangelog(names, false), cutoff));
    assertThat(changelogRows()).isEmpty();
    assertThat(query("SELECT sync_run_id FROM " + pg(names.qualified("runs"))))
        .containsExactly("r2");
  }

  @Test
  void pruneTakesOneSyncOrEverySyncAndKeepsEachSyncsLatestRunWhole() throws SQLException {
    // s1's latest run (r2) is older than the cutoff; s2's (q2) is newer
    runWithRow("s1", "r1", "2026-03-01");
    runWithRow("s1", "r2", "2026-03-02");
    runWithRow("s2", "q1", "2026-03-01");
    runWithRow("s2", "q2", "2026-03-04");
    // a row whose run has no runs row (its run was pruned before it): pruned with its sync
    changelogRow("s2", "gone", "2026-03-01");
    List<BqParam> cutoff =
        List.of(
            new BqParam(
                "cutoff", "TIMESTAMP", BqValues.timestamp(Instant.parse("2026-03-03T00:00:00Z"))),
            new BqParam("cutoff_date", "DATE", "2026-03-03"));
    List<BqParam> s1 = new ArrayList<>(cutoff);
    s1.addAll(BigQueryLogSink.ids("s1"));

    assertThat(update(BqToPg.statement(BqSql.pruneRuns(names, true), s1))).as("runs").isEqualTo(1);
    assertThat(update(BqToPg.statement(BqSql.pruneChangelog(names, true), s1)))
        .as("changelog")
        .isEqualTo(1);
    assertThat(runIds("runs")).containsExactly("s1|r2", "s2|q1", "s2|q2");
    assertThat(runIds("changelog")).containsExactly("s1|r2", "s2|gone", "s2|q1", "s2|q2");

    assertThat(update(BqToPg.statement(BqSql.pruneRuns(names, false), cutoff)))
        .as("runs")
        .isEqualTo(1);
    assertThat(update(BqToPg.statement(BqSql.pruneChangelog(names, false), cutoff)))
        .as("changelog")
        .isEqualTo(2);
    assertThat(runIds("runs")).containsExactly("s1|r2", "s2|q2");
    assertThat(runIds("changelog")).containsExactly("s1|r2", "s2|q2");
  }

  /** A runs row started on the day, and one changelog row of the run dated that day. */
  private void runWithRow(String syncId, String runId, String day) throws SQLException {
    exec(
        "INSERT INTO "
            + pg(names.qualified("runs"))
            + " (sync_id, sync_run_id, started_at, recorded_at) VALUES ('"
            + syncId
            + "', '"
            + runId
            + "', TIMESTAMPTZ '"
            + day
            + " 10:00:00+00', TIMESTAMPTZ '"
            + day
            + " 10:05:00+00')");
    changelogRow(syncId, runId, day);
  }

  private void changelogRow(String syncId, String runId, String day) throws SQLException {
    exec(
        "INSERT INTO "
            + pg(names.qualified("changelog"))
            + " (sync_id, sync_run_id, row_id, run_date) VALUES ('"
            + syncId
            + "', '"
            + runId
            + "', 'x', DATE '"
            + day
            + "')");
  }

  private List<String> runIds(String logical) throws SQLException {
    return query(
        "SELECT sync_id || '|' || sync_run_id FROM "
            + pg(names.qualified(logical))
            + " ORDER BY 1");
  }

  private static int update(String sql) throws SQLException {
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement()) {
      return st.executeUpdate(sql);
    } catch (SQLException e) {
      throw new SQLException(e.getMessage() + "\nSQL: " + sql, e.getSQLState(), e);
    }
  }

  private List<String> changelogRows() throws SQLException {
    return query(
        "SELECT sync_id || '|' || sync_run_id || '|' || row_id FROM "
            + pg(names.qualified("changelog"))
            + " ORDER BY 1");
  }

  private List<String> runsRows() throws SQLException {
    return query(
        "SELECT sync_id || '|' || sync_run_id || '|' || num_planned_add || '|' ||"
            + " to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00' FROM "
            + pg(names.qualified("runs")));
  }

  private static void exec(String sql) throws SQLException {
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new SQLException(e.getMessage() + "\nSQL: " + sql, e.getSQLState(), e);
    }
  }

  private static List<String> query(String sql) throws SQLException {
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }
}
