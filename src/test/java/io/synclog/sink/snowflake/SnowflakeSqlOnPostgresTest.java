package io.synclog.sink.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.log.LogTables;
import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import io.synclog.sink.PruneScope;
import io.synclog.sink.RunLock;
import io.synclog.sink.postgres.PostgresTarget;
import io.synclog.sink.warehouse.SqlStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The sink's own DDL and DML, unchanged, executed on the embedded PostgreSQL 18 stand-in (see
 * {@link SnowflakeOnPostgres}) for their semantics: the commit replaces one run's changelog and one
 * sync's snapshot and nothing else, reruns change nothing, a failure inside the transaction leaves
 * nothing, PARSE_JSON turns text into queryable JSON, the lock protocol admits one run per sync,
 * prune keeps each sync's latest run. This is our SQL's meaning, not Snowflake's behaviour.
 */
class SnowflakeSqlOnPostgresTest {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Instant T1 = Instant.parse("2026-03-01T10:00:00Z");

  private final String ns = "sfsql_" + COUNTER.incrementAndGet();
  private final SnowflakeNames names = new SnowflakeNames(ns, SnowflakeSqlTest.PHYSICAL);
  private final SnowflakeSql sql = new SnowflakeSql(names);
  private final SnowflakeLocks locks = new SnowflakeLocks(names);
  private final SnowflakeJdbc jdbc = new SnowflakeJdbc(SnowflakeOnPostgres.connections());

  private void prepare() throws SQLException {
    jdbc.autoCommit(
        c -> {
          if (jdbc.query(c, sql.schemaExists()).isEmpty()) {
            SnowflakeJdbc.execute(c, SnowflakeDdl.createSchema(names));
          }
          for (String ddl : SnowflakeDdl.tables(names, true)) {
            SnowflakeJdbc.execute(c, ddl);
          }
          return null;
        });
  }

  /** Stages rows the way the connector would leave them: fields as JSON text. */
  private String stage(String logical, List<String> valueRows) throws SQLException {
    String table = names.staging(new SyncRun("s1", "r1"), logical);
    jdbc.autoCommit(
        c -> {
          for (String ddl :
              SnowflakeDdl.createStaging(
                  table,
                  logical.equals("changelog")
                      ? LogTables.changelogSchema(false)
                      : LogTables.snapshotSchema(false))) {
            SnowflakeJdbc.execute(c, ddl);
          }
          for (String values : valueRows) {
            SnowflakeJdbc.execute(c, "INSERT INTO " + table + " VALUES " + values);
          }
          return null;
        });
    return table;
  }

  private void commit(RunLock lock, String cl, String sn, RunRecord run) throws SQLException {
    jdbc.inTransaction(
        c -> {
          locks.checkHeld(c, lock);
          for (SqlStatement s :
              sql.commit(
                  lock,
                  cl,
                  LogTables.changelogSchema(false),
                  sn,
                  LogTables.snapshotSchema(false),
                  run)) {
            jdbc.update(c, s);
          }
          return null;
        });
  }

  private List<String> rows(String logical, String columns) {
    return PostgresTarget.query(
        "SELECT concat_ws('|', " + columns + ") FROM " + names.qualified(logical) + " ORDER BY 1");
  }

  private RunLock claim(String syncId, String runId) throws SQLException {
    return jdbc.autoCommit(c -> locks.acquire(c, new SyncRun(syncId, runId), T1));
  }

  private void seedOtherState() throws SQLException {
    jdbc.autoCommit(
        c -> {
          SnowflakeJdbc.execute(
              c,
              "INSERT INTO "
                  + names.qualified("snapshot")
                  + " VALUES ('s2', 'added', '9', 'succeeded', NULL, PARSE_JSON('{\"id\":9}'), 9,"
                  + " TRUE, 'q1'), ('s1', 'added', '7', 'succeeded', NULL,"
                  + " PARSE_JSON('{\"id\":7}'), 7, TRUE, 'r0')");
          return null;
        });
  }

  @Test
  void theCommitReplacesOneRunAndOneSyncAndARerunChangesNothing() throws Exception {
    prepare();
    seedOtherState();
    RunLock lock = claim("s1", "r1");
    String cl =
        stage(
            "changelog",
            List.of(
                "('s1', 'r1', 'added', '1', 'succeeded', NULL, '{\"id\":1,\"email\":\"o''b@x\"}', 11,"
                    + " DATE '2026-03-01')",
                "('s1', 'r1', 'removed', '7', 'failed', 'gone', '{\"id\":7}', 7, DATE"
                    + " '2026-03-01')"));
    String sn =
        stage(
            "snapshot",
            List.of(
                "('s1', 'added', '1', 'succeeded', NULL, '{\"id\":1,\"email\":\"o''b@x\"}', 11,"
                    + " TRUE, 'r1')"));
    RunRecord run = SnowflakeSqlTest.sampleRun();
    commit(lock, cl, sn, run);
    List<String> changelog = rows("changelog", "\"SYNC_RUN_ID\", \"ROW_ID\", \"FIELDS\"::text");
    List<String> snapshot = rows("snapshot", "\"SYNC_ID\", \"ROW_ID\", \"LAST_SYNC_RUN_ID\"");
    List<String> runs = rows("runs", "\"SYNC_RUN_ID\", \"STATUS\", \"NUM_PLANNED_ADD\"");
    assertThat(changelog)
        .containsExactly("r1|1|{\"id\": 1, \"email\": \"o'b@x\"}", "r1|7|{\"id\": 7}");
    // s1's old row 7 is gone, s2's row untouched
    assertThat(snapshot).containsExactly("s1|1|r1", "s2|9|q1");
    assertThat(runs).containsExactly("r1|succeeded|3");
    // fields is JSON, not a string: its members can be queried
    assertThat(
            PostgresTarget.query(
                "SELECT \"FIELDS\"->>'email' FROM "
                    + names.qualified("snapshot")
                    + " WHERE \"ROW_ID\" = '1'"))
        .containsExactly("o'b@x");

    // a rerun of the same run (the same staged rows) leaves the same tables
    commit(lock, cl, sn, run);
    assertThat(rows("changelog", "\"SYNC_RUN_ID\", \"ROW_ID\", \"FIELDS\"::text"))
        .containsExactlyElementsOf(changelog);
    assertThat(rows("snapshot", "\"SYNC_ID\", \"ROW_ID\", \"LAST_SYNC_RUN_ID\""))
        .containsExactlyElementsOf(snapshot);
    assertThat(rows("runs", "\"SYNC_RUN_ID\", \"STATUS\", \"NUM_PLANNED_ADD\""))
        .containsExactlyElementsOf(runs);
    // and the runs MERGE updates the row rather than adding one
    RunRecord failed =
        new RunRecord(
            run.syncId(),
            run.syncRunId(),
            run.primaryKey(),
            run.destination(),
            run.modelName(),
            run.modelId(),
            "failed",
            "boom",
            run.startedAt(),
            run.finishedAt(),
            run.counts(),
            run.rejectedRows(),
            run.toleratedStatusProblems(),
            run.modelSchema(),
            run.recordedAt());
    commit(lock, cl, sn, failed);
    assertThat(rows("runs", "\"SYNC_RUN_ID\", \"STATUS\", \"ERROR\", \"STARTED_AT\""))
        .containsExactly("r1|failed|boom|2026-03-01 10:00:00+00");
  }

  @Test
  void aFailureInsideTheCommitLeavesThePreviousStateWhole() throws Exception {
    prepare();
    seedOtherState();
    RunLock lock = claim("s1", "r1");
    String cl =
        stage(
            "changelog",
            List.of("('s1', 'r1', 'added', '1', 'succeeded', NULL, '{}', 1, DATE '2026-03-01')"));
    String sn =
        stage("snapshot", List.of("('s1', 'added', '1', 'succeeded', NULL, '{}', 1, TRUE, 'r1')"));
    List<SqlStatement> all =
        sql.commit(
            lock,
            cl,
            LogTables.changelogSchema(false),
            sn,
            LogTables.snapshotSchema(false),
            SnowflakeSqlTest.sampleRun());
    for (int stop = 1; stop <= all.size(); stop++) {
      int n = stop;
      assertThatThrownBy(
              () ->
                  jdbc.inTransaction(
                      c -> {
                        for (SqlStatement s : all.subList(0, n)) {
                          jdbc.update(c, s);
                        }
                        throw new IllegalStateException("killed after statement " + n);
                      }))
          .hasMessageContaining("killed");
      assertThat(rows("changelog", "\"ROW_ID\"")).as("after " + n).isEmpty();
      assertThat(rows("snapshot", "\"SYNC_ID\", \"ROW_ID\""))
          .as("after " + n)
          .containsExactly("s1|7", "s2|9");
      assertThat(rows("runs", "\"SYNC_RUN_ID\"")).as("after " + n).isEmpty();
    }
  }

  @Test
  void oneRunHoldsASyncUntilReleasedAndALostLockStopsTheCommit() throws Exception {
    prepare();
    RunLock r1 = claim("s1", "r1");
    assertThat(r1.resumed()).isFalse();
    assertThat(claim("s1", "r1").resumed()).as("the holder's rerun resumes").isTrue();
    assertThatThrownBy(() -> claim("s1", "r2"))
        .hasMessageContaining("r1")
        .extracting(e -> ((io.synclog.error.SyncLogException) e).code())
        .isEqualTo("RUN_IN_PROGRESS");
    assertThat(claim("s2", "q1").runId()).as("other syncs are independent").isEqualTo("q1");
    jdbc.inTransaction(
        c -> {
          for (SqlStatement s : locks.release(r1)) {
            jdbc.update(c, s);
          }
          return null;
        });
    // r1 lost the lock: its commit fails before writing anything
    String sn =
        stage("snapshot", List.of("('s1', 'added', '1', 'succeeded', NULL, '{}', 1, TRUE, 'r1')"));
    assertThatThrownBy(() -> commit(r1, null, sn, SnowflakeSqlTest.sampleRun()))
        .extracting(e -> ((io.synclog.error.SyncLogException) e).code())
        .isEqualTo("LOCK_LOST");
    assertThat(rows("snapshot", "\"ROW_ID\"")).isEmpty();
    assertThat(claim("s1", "r2").runId()).isEqualTo("r2");
    assertThat(
            rows(SnowflakeNames.LOCKS, "\"SYNC_ID\", \"SYNC_RUN_ID\", \"PHASE\", \"STARTED_AT\""))
        .containsExactly(
            "s1|r2|recording|2026-03-01 10:00:00+00", "s2|q1|recording|2026-03-01 10:00:00+00");
  }

  @Test
  void prunesOneSyncOrEverySyncAndKeepsEachSyncsLatestRunWhole() throws Exception {
    prepare();
    // s1's latest run (r2) is older than the cutoff; s2's (q2) is newer
    for (String[] r :
        List.of(
            new String[] {"s1", "r1", "2026-03-01"},
            new String[] {"s1", "r2", "2026-03-02"},
            new String[] {"s2", "q1", "2026-03-01"},
            new String[] {"s2", "q2", "2026-03-04"})) {
      recordRun(r[0], r[1], r[2]);
      insertChangelogRow(r[0], r[1], r[2]);
    }
    // a row whose run has no runs row (its run was pruned before it): pruned with its sync
    insertChangelogRow("s2", "gone", "2026-03-01");
    Instant cutoff = Instant.parse("2026-03-03T00:00:00Z");

    assertThat(prune(cutoff, PruneScope.sync("s1")))
        .as("changelog rows, runs rows")
        .containsExactly(1, 1);
    assertThat(rows("runs", "\"SYNC_ID\", \"SYNC_RUN_ID\""))
        .containsExactly("s1|r2", "s2|q1", "s2|q2");
    assertThat(rows("changelog", "\"SYNC_ID\", \"SYNC_RUN_ID\""))
        .containsExactly("s1|r2", "s2|gone", "s2|q1", "s2|q2");

    assertThat(prune(cutoff, PruneScope.ALL_SYNCS))
        .as("changelog rows, runs rows")
        .containsExactly(2, 1);
    assertThat(rows("runs", "\"SYNC_ID\", \"SYNC_RUN_ID\"")).containsExactly("s1|r2", "s2|q2");
    assertThat(rows("changelog", "\"SYNC_ID\", \"SYNC_RUN_ID\"")).containsExactly("s1|r2", "s2|q2");
  }

  /** Runs prune's two statements in one transaction: the changelog rows and runs rows deleted. */
  private int[] prune(Instant cutoff, PruneScope scope) throws SQLException {
    return jdbc.inTransaction(
        c -> {
          int runs = jdbc.update(c, sql.pruneRuns(cutoff, scope));
          return new int[] {jdbc.update(c, sql.pruneChangelog(cutoff, scope)), runs};
        });
  }

  private void recordRun(String syncId, String runId, String day) throws SQLException {
    RunRecord base = SnowflakeSqlTest.sampleRun();
    Instant at = Instant.parse(day + "T10:00:00Z");
    RunRecord run =
        new RunRecord(
            syncId,
            runId,
            base.primaryKey(),
            base.destination(),
            base.modelName(),
            base.modelId(),
            base.status(),
            null,
            at,
            at,
            base.counts(),
            0,
            0,
            null,
            at);
    jdbc.autoCommit(c -> jdbc.update(c, sql.mergeRun(run)));
  }

  private void insertChangelogRow(String syncId, String runId, String day) throws SQLException {
    jdbc.autoCommit(
        c -> {
          SnowflakeJdbc.execute(
              c,
              "INSERT INTO "
                  + names.qualified("changelog")
                  + " (\"SYNC_ID\", \"SYNC_RUN_ID\", \"RUN_DATE\") VALUES ('"
                  + syncId
                  + "', '"
                  + runId
                  + "', DATE '"
                  + day
                  + "')");
          return null;
        });
  }

  @Test
  void everyStatementWasSentAsSnowflakeSqlWithOnlyTheTwoDdlRewrites() throws Exception {
    SnowflakeOnPostgres.ISSUED.clear();
    prepare();
    assertThat(SnowflakeOnPostgres.ISSUED)
        .containsExactlyElementsOf(
            concat(
                List.of(sql.schemaExists().sql(), SnowflakeDdl.createSchema(names)),
                SnowflakeDdl.tables(names, true)));
    assertThat(SnowflakeOnPostgres.translate(SnowflakeDdl.tables(names, true).get(0)))
        .endsWith("\"RUN_DATE\" DATE NOT NULL\n)");
    assertThat(SnowflakeOnPostgres.translate("CREATE TRANSIENT TABLE x (a VARCHAR)"))
        .isEqualTo("CREATE UNLOGGED TABLE x (a VARCHAR)");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
