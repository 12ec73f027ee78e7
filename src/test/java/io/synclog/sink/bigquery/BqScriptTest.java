package io.synclog.sink.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.log.SyncRun;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in's script runner ({@link BqScript}) on the sink's own scripts: split as BigQuery
 * reads them, a failed lock assertion rolling the whole transaction back with BigQuery's message,
 * results typed as the REST API returns them, and a transaction that mutates a table another one
 * holds aborted with the message the sink retries on.
 */
class BqScriptTest {
  private static int counter;
  private BqNames names;

  @BeforeEach
  void dataset() throws Exception {
    names = new BqNames("stub-proj", "bq_script_" + (++counter), BigQuerySqlTest.PHYSICAL);
    try (Connection c = PgWarehouse.connect()) {
      BqScript.run(c, String.join(";\n", BqDdl.statements(names, true)), List.of());
    }
  }

  private BqScript.Answer run(String script, List<BqParam> params) throws BqScript.Failure {
    try (Connection c = PgWarehouse.connect()) {
      return BqScript.run(c, script, params);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<BqParam> claimParams(String runId) {
    List<BqParam> p = BigQueryLogSink.ids(new SyncRun("s1", runId));
    p.add(new BqParam("started_at", "TIMESTAMP", "2026-03-01 10:00:00.000000+00:00"));
    return p;
  }

  @Test
  void splitsATransactionScriptIntoStatementsAndBlockWords() {
    String script =
        BqSql.transaction(List.of(BqDdl.expire("`p.d.t`")), BqSql.releaseBody(names, true));
    assertThat(BqScript.parts(script))
        .containsExactly(
            BqDdl.expire("`p.d.t`"),
            "BEGIN",
            "BEGIN TRANSACTION",
            BqSql.releaseBody(names, true).get(0),
            BqSql.releaseBody(names, true).get(1),
            "COMMIT TRANSACTION",
            "EXCEPTION WHEN ERROR THEN",
            "ROLLBACK TRANSACTION",
            "RAISE USING MESSAGE = @@error.message",
            "END");
  }

  @Test
  void aLostLockRollsTheTransactionBackAndRaisesItsMessage() throws Exception {
    String runs = BqToPg.statement(names.qualified("runs"), List.of());
    try (Connection c = PgWarehouse.connect();
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO " + runs + " (sync_id, sync_run_id) VALUES ('s1', 'r0')");
    }
    String script =
        BqSql.transaction(
            List.of(),
            List.of(
                "DELETE FROM " + names.qualified("runs") + " WHERE sync_id = @sync_id",
                BqSql.assertLock(names)));
    assertThatThrownBy(() -> run(script, BigQueryLogSink.ids(new SyncRun("s1", "r1"))))
        .isInstanceOf(BqScript.Failure.class)
        .hasMessage(BqSql.LOCK_LOST);
    assertThat(run("SELECT sync_run_id FROM " + names.qualified("runs"), List.of()).rows())
        .containsExactly(List.of("r0"));
  }

  @Test
  void answersRowsAsTheRestApiDoesAndCountsDml() throws Exception {
    assertThat(run(BqSql.claim(names), claimParams("r1")).affected()).isEqualTo(1);
    assertThat(run(BqSql.claim(names), claimParams("r2")).affected()).isZero();
    BqScript.Answer locks = run(BqSql.locksOf(names), BigQueryLogSink.ids("s1"));
    assertThat(locks.fields().stream().map(f -> f[0] + " " + f[1]))
        .containsExactly(
            "sync_id STRING",
            "sync_run_id STRING",
            "phase STRING",
            "base_version INT64",
            "started_at TIMESTAMP",
            "model_schema STRING");
    assertThat(locks.rows())
        .containsExactly(
            java.util.Arrays.asList("s1", "r1", "recording", "0", "1772359200000000", null));
  }

  @Test
  void aTransactionMutatingATableAnotherHoldsIsAbortedAsAConcurrentUpdate() throws Exception {
    run(BqSql.claim(names), claimParams("r1"));
    String release = BqSql.transaction(List.of(), BqSql.releaseBody(names, true));
    try (Connection other = PgWarehouse.connect()) {
      other.setAutoCommit(false);
      try (Statement st = other.createStatement()) {
        st.execute("DELETE FROM " + BqToPg.statement(names.qualified(BqNames.PLANS), List.of()));
      }
      assertThatThrownBy(() -> run(release, BigQueryLogSink.ids(new SyncRun("s1", "r1"))))
          .isInstanceOf(BqScript.Failure.class)
          .satisfies(e -> assertThat(BqSql.isConcurrentUpdate(e.getMessage())).isTrue());
      other.rollback();
    }
    run(release, BigQueryLogSink.ids(new SyncRun("s1", "r1")));
    assertThat(run(BqSql.locksOf(names), BigQueryLogSink.ids("s1")).rows()).isEmpty();
  }
}
