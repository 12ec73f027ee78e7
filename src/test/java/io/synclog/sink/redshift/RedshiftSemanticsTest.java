package io.synclog.sink.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.log.LogTables;
import io.synclog.log.SyncRun;
import io.synclog.sink.Canonical;
import io.synclog.sink.postgres.EmbeddedPg;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The commit's SQL executed for its meaning, on the embedded PostgreSQL server with the Redshift
 * shims ({@code super} as a jsonb domain, {@code json_parse}): the DDL, a staging table loaded with
 * hostile values, and the postactions split and run exactly as the connector runs them, in one
 * transaction. No SparkSession: the staging rows are inserted over JDBC.
 */
class RedshiftSemanticsTest {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** Ids and texts that break naive quoting, splitting on ';' or formatting with '%s'. */
  private static final String SYNC = "s'1; DROP TABLE x; --%s";

  private static final String RUN = "r\"1%n;";
  private static final String ERROR = "HTTP 400; field 'email' 100% invalid: %s \\ \"x\"";

  @BeforeAll
  static void shims() {
    RedshiftTarget.installShims();
  }

  private record Ns(RsNames names, String staging) {}

  private static Ns prepared() throws SQLException {
    String schema = "rs_sem_" + COUNTER.incrementAndGet();
    RsNames names =
        new RsNames(
            schema,
            Map.of(
                "changelog", "sync_changelog", "snapshot", "sync_snapshot", "runs", "sync_runs"));
    String staging = names.staging(new SyncRun(SYNC, RUN), "commit");
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement()) {
      st.execute(RsDdl.createSchema(names));
      for (String ddl : RsDdl.statements(names, true)) {
        st.execute(ddl);
      }
      st.execute(RsDdl.createStaging(staging, union()));
    }
    return new Ns(names, staging);
  }

  private static StructType union() {
    return RsStaging.unionSchema(
        List.of(
            LogTables.changelogSchema(false),
            LogTables.snapshotSchema(false),
            LogTables.runsSchema()));
  }

  private static void sql(String sql, Object... params) throws SQLException {
    try (Connection c = EmbeddedPg.admin();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.execute();
    }
  }

  private static List<String> rows(String sql) throws SQLException {
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
    out.sort(null);
    return out;
  }

  /** Stages one run: its changelog rows, the next snapshot and its runs row. */
  private static void stage(Ns ns, List<String[]> snapshot) throws SQLException {
    sql("DELETE FROM " + ns.staging());
    String cl =
        "INSERT INTO "
            + ns.staging()
            + " (kind, sync_id, sync_run_id, op_type, row_id, status, failed_reason, fields,"
            + " fields_hash, run_date) VALUES ('changelog', ?, ?, ?, ?, ?, ?, ?, ?,"
            + " DATE '2026-03-01')";
    sql(cl, SYNC, RUN, "added", "1", "failed", ERROR, "{\"b\":\"it's; 50%\",\"a\":1}", 11L);
    sql(cl, SYNC, RUN, "added", "2", "succeeded", null, "{\"a\":2}", 22L);
    for (String[] s : snapshot) {
      sql(
          "INSERT INTO "
              + ns.staging()
              + " (kind, sync_id, op_type, row_id, status, fields, fields_hash, in_destination,"
              + " last_sync_run_id) VALUES ('snapshot', ?, 'added', ?, 'succeeded', ?, 1, true, ?)",
          SYNC,
          s[0],
          s[1],
          RUN);
    }
    sql(
        "INSERT INTO "
            + ns.staging()
            + " (kind, sync_id, sync_run_id, status, error, started_at, num_planned_add)"
            + " VALUES ('run', ?, ?, 'failed', ?, TIMESTAMPTZ '2026-03-01 00:00:00+00', 2)",
        SYNC,
        RUN,
        ERROR);
  }

  /** Runs the commit's postactions as the connector does: split on ';', one transaction. */
  private static void commit(Ns ns) throws SQLException {
    String option =
        RsSwap.join(
            RsSwap.commit(
                ns.names(),
                ns.staging(),
                List.of(LogTables.changelogSchema(false).fieldNames()),
                List.of(LogTables.snapshotSchema(false).fieldNames()),
                List.of(LogTables.runsSchema().fieldNames())));
    try (Connection c = EmbeddedPg.admin()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String action : option.trim().split(";")) {
          st.execute(action.contains("%s") ? String.format(action, ns.staging()) : action);
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static void lock(Ns ns, String runId) throws SQLException {
    sql(
        "INSERT INTO "
            + ns.names().qualified(RsNames.LOCKS)
            + " (sync_id, sync_run_id, phase, base_version, started_at) VALUES (?, ?, 'recording',"
            + " 0, now())",
        SYNC,
        runId);
  }

  private static List<String> tables(Ns ns) throws SQLException {
    List<String> out = new ArrayList<>();
    out.addAll(
        rows(
            "SELECT sync_id, sync_run_id, row_id, failed_reason, fields::text FROM "
                + ns.names().qualified("changelog")));
    out.addAll(
        rows(
            "SELECT sync_id, row_id, fields::text, fields_text FROM "
                + ns.names().qualified("snapshot")));
    out.addAll(
        rows(
            "SELECT sync_id, sync_run_id, error, started_at, num_planned_add FROM "
                + ns.names().qualified("runs")));
    return out;
  }

  @Test
  void aCommitReplacesTheSnapshotAndARerunChangesNothing() throws SQLException {
    Ns ns = prepared();
    lock(ns, RUN);
    // an older snapshot of this sync, and another sync's snapshot that must survive
    sql(
        "INSERT INTO "
            + ns.names().qualified("snapshot")
            + " (sync_id, row_id, fields, fields_text) VALUES (?, 'old', '{}', '{}'), ('other',"
            + " 'keep', '{}', '{}')",
        SYNC);
    String json = "{\"b\":\"it's; 50%\",\"a\":1}";
    stage(ns, List.<String[]>of(new String[] {"1", json}, new String[] {"2", "{\"a\":2}"}));
    commit(ns);
    List<String> first = tables(ns);
    List<String> expected =
        List.of(
            SYNC + "|" + RUN + "|1|" + ERROR + "|{\"a\": 1, \"b\": \"it's; 50%\"}",
            SYNC + "|" + RUN + "|2|null|{\"a\": 2}",
            SYNC + "|1|{\"a\": 1, \"b\": \"it's; 50%\"}|" + json,
            SYNC + "|2|{\"a\": 2}|{\"a\":2}",
            "other|keep|{}|{}",
            SYNC + "|" + RUN + "|" + ERROR + "|2026-03-01 00:00:00+00|2");
    assertThat(first).as("tables after the commit").containsExactlyInAnyOrderElementsOf(expected);
    assertThat(
            Canonical.json(
                rows("SELECT fields::text FROM "
                        + ns.names().qualified("snapshot")
                        + " WHERE row_id = '1'")
                    .get(0)))
        .as("fields is SUPER (jsonb here), parsed from the staged text")
        .isEqualTo(Canonical.json(json));

    commit(ns);
    assertThat(tables(ns)).as("after a rerun of the same commit").isEqualTo(first);
  }

  @Test
  void anEmptySnapshotEmptiesTheSync() throws SQLException {
    Ns ns = prepared();
    lock(ns, RUN);
    stage(ns, List.<String[]>of(new String[] {"1", "{}"}));
    commit(ns);
    stage(ns, List.<String[]>of());
    commit(ns);
    assertThat(rows("SELECT row_id FROM " + ns.names().qualified("snapshot"))).isEmpty();
    assertThat(rows("SELECT row_id FROM " + ns.names().qualified("changelog")))
        .as("the rerun replaced the run's changelog rows, not added to them")
        .containsExactly("1", "2");
  }

  @Test
  void aLostLockAbortsTheWholeTransaction() throws SQLException {
    Ns ns = prepared();
    lock(ns, "another-run");
    sql(
        "INSERT INTO "
            + ns.names().qualified("snapshot")
            + " (sync_id, row_id, fields, fields_text) VALUES (?, 'old', '{}', '{}')",
        SYNC);
    stage(ns, List.<String[]>of(new String[] {"1", "{}"}));
    List<String> before = tables(ns);
    assertThatThrownBy(() -> commit(ns))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("synclog: the run no longer holds the lock");
    assertThat(tables(ns)).as("nothing changed").isEqualTo(before);
  }
}
