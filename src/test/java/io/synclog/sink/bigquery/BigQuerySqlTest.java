package io.synclog.sink.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.error.SyncLogException;
import io.synclog.log.LogTables;
import io.synclog.log.RunCounts;
import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact SQL the BigQuery sink sends for a sample run, without Spark or a server: the DDL, the
 * commit script (staging expirations, then one transaction: lock check, the run's changelog rows
 * deleted and re-inserted, the snapshot MERGE ... ON FALSE, the runs upsert), the lock and plan
 * statements, the clean-up, and the quoting of names and literals.
 */
class BigQuerySqlTest {
  static final Map<String, String> PHYSICAL =
      Map.of("changelog", "sync_changelog", "snapshot", "sync_snapshot", "runs", "sync_runs");
  static final BqNames NAMES = new BqNames("my-proj", "sync_audit", PHYSICAL);

  static String staging(String logical) {
    return NAMES.path(BqNames.stagingName(new SyncRun("s1", "r1"), logical));
  }

  static String commitScript() {
    return BqSql.transaction(
        List.of(BqDdl.expire(staging("changelog")), BqDdl.expire(staging("snapshot"))),
        BqSql.commitBody(
            NAMES,
            staging("changelog"),
            LogTables.changelogSchema(false),
            staging("snapshot"),
            LogTables.snapshotSchema(false)));
  }

  @Test
  void commitsARunInOneTransactionScript() {
    String expected =
        """
        ALTER TABLE `my-proj.sync_audit._synclog_stage_1478cd29c06b172b_changelog` SET OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY));
        ALTER TABLE `my-proj.sync_audit._synclog_stage_1478cd29c06b172b_snapshot` SET OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY));
        BEGIN
          BEGIN TRANSACTION;
          ASSERT EXISTS (SELECT 1 FROM `my-proj.sync_audit._synclog_locks` WHERE sync_id = @sync_id AND sync_run_id = @run_id) AS 'synclog: the run no longer holds the lock';
          DELETE FROM `my-proj.sync_audit.sync_changelog` WHERE run_date = @run_date AND sync_id = @sync_id AND sync_run_id = @run_id;
          INSERT INTO `my-proj.sync_audit.sync_changelog` (sync_id, sync_run_id, op_type, row_id, status, failed_reason, fields, fields_hash, run_date)
          SELECT sync_id, sync_run_id, op_type, row_id, status, failed_reason, fields, fields_hash, run_date FROM `my-proj.sync_audit._synclog_stage_1478cd29c06b172b_changelog`;
          MERGE INTO `my-proj.sync_audit.sync_snapshot` T
          USING `my-proj.sync_audit._synclog_stage_1478cd29c06b172b_snapshot` S
          ON FALSE
          WHEN NOT MATCHED BY SOURCE AND T.sync_id = @sync_id THEN DELETE
          WHEN NOT MATCHED THEN INSERT (sync_id, op_type, row_id, status, failed_reason, fields, fields_hash, in_destination, last_sync_run_id, fields_text)
            VALUES (S.sync_id, S.op_type, S.row_id, S.status, S.failed_reason, S.fields, S.fields_hash, S.in_destination, S.last_sync_run_id, S.fields_text);
          MERGE INTO `my-proj.sync_audit.sync_runs` T
          USING (SELECT @r_sync_id AS sync_id, @r_sync_run_id AS sync_run_id, @r_primary_key AS primary_key, @r_destination AS destination, @r_model_name AS model_name, @r_model_id AS model_id, @r_status AS status, @r_error AS error, @r_started_at AS started_at, @r_finished_at AS finished_at, @r_num_planned_add AS num_planned_add, @r_num_planned_change AS num_planned_change, @r_num_planned_remove AS num_planned_remove, @r_num_attempted_add AS num_attempted_add, @r_num_attempted_change AS num_attempted_change, @r_num_attempted_remove AS num_attempted_remove, @r_num_succeeded_add AS num_succeeded_add, @r_num_succeeded_change AS num_succeeded_change, @r_num_succeeded_remove AS num_succeeded_remove, @r_num_failed_add AS num_failed_add, @r_num_failed_change AS num_failed_change, @r_num_failed_remove AS num_failed_remove, @r_num_rejected_rows AS num_rejected_rows, @r_num_tolerated_status_problems AS num_tolerated_status_problems, @r_model_schema AS model_schema, @r_recorded_at AS recorded_at) S
          ON T.sync_id = S.sync_id AND T.sync_run_id = S.sync_run_id
          WHEN MATCHED THEN UPDATE SET primary_key = S.primary_key, destination = S.destination, model_name = S.model_name, model_id = S.model_id, status = S.status, error = S.error, started_at = S.started_at, finished_at = S.finished_at, num_planned_add = S.num_planned_add, num_planned_change = S.num_planned_change, num_planned_remove = S.num_planned_remove, num_attempted_add = S.num_attempted_add, num_attempted_change = S.num_attempted_change, num_attempted_remove = S.num_attempted_remove, num_succeeded_add = S.num_succeeded_add, num_succeeded_change = S.num_succeeded_change, num_succeeded_remove = S.num_succeeded_remove, num_failed_add = S.num_failed_add, num_failed_change = S.num_failed_change, num_failed_remove = S.num_failed_remove, num_rejected_rows = S.num_rejected_rows, num_tolerated_status_problems = S.num_tolerated_status_problems, model_schema = S.model_schema, recorded_at = S.recorded_at
          WHEN NOT MATCHED THEN INSERT (sync_id, sync_run_id, primary_key, destination, model_name, model_id, status, error, started_at, finished_at, num_planned_add, num_planned_change, num_planned_remove, num_attempted_add, num_attempted_change, num_attempted_remove, num_succeeded_add, num_succeeded_change, num_succeeded_remove, num_failed_add, num_failed_change, num_failed_remove, num_rejected_rows, num_tolerated_status_problems, model_schema, recorded_at)
            VALUES (S.sync_id, S.sync_run_id, S.primary_key, S.destination, S.model_name, S.model_id, S.status, S.error, S.started_at, S.finished_at, S.num_planned_add, S.num_planned_change, S.num_planned_remove, S.num_attempted_add, S.num_attempted_change, S.num_attempted_remove, S.num_succeeded_add, S.num_succeeded_change, S.num_succeeded_remove, S.num_failed_add, S.num_failed_change, S.num_failed_remove, S.num_rejected_rows, S.num_tolerated_status_problems, S.model_schema, S.recorded_at);
          COMMIT TRANSACTION;
        EXCEPTION WHEN ERROR THEN
          ROLLBACK TRANSACTION;
          RAISE USING MESSAGE = @@error.message;
        END""";
    String actual = commitScript();
    assertThat(actual).as("commit script, actual:%n%s", actual).isEqualTo(expected);
  }

  @Test
  void stagingTablesAreNamedPerRunAndDroppedByName() {
    assertThat(BqNames.stagingName(new SyncRun("s1", "r1"), "snapshot"))
        .isEqualTo(BqNames.stagingName(new SyncRun("s1", "r1"), "snapshot"))
        .isNotEqualTo(BqNames.stagingName(new SyncRun("s1", "r2"), "snapshot"))
        .isNotEqualTo(BqNames.stagingName(new SyncRun("s2", "r1"), "snapshot"))
        .matches("_synclog_stage_[0-9a-f]{16}_snapshot");
    // a sync id that ends like another's run id cannot produce the same name
    assertThat(BqNames.stagingName(new SyncRun("a", "bc"), "x"))
        .isNotEqualTo(BqNames.stagingName(new SyncRun("ab", "c"), "x"));
    assertThat(BqDdl.drop(staging("snapshot")))
        .isEqualTo(
            "DROP TABLE IF EXISTS `my-proj.sync_audit."
                + BqNames.stagingName(new SyncRun("s1", "r1"), "snapshot")
                + "`");
    assertThat(BqDdl.expire(staging("changelog")))
        .startsWith("ALTER TABLE `my-proj.sync_audit._synclog_stage_")
        .endsWith(
            "_changelog` SET OPTIONS (expiration_timestamp ="
                + " TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY))");
  }

  @Test
  void aRerunDeletesOnlyItsOwnChangelogRowsAndTheSyncsSnapshot() {
    List<String> body =
        BqSql.commitBody(
            NAMES,
            staging("changelog"),
            LogTables.changelogSchema(false),
            staging("snapshot"),
            LogTables.snapshotSchema(false));
    assertThat(body.get(1))
        .isEqualTo(
            "DELETE FROM `my-proj.sync_audit.sync_changelog` WHERE run_date = @run_date AND"
                + " sync_id = @sync_id AND sync_run_id = @run_id");
    assertThat(body.get(3))
        .contains("WHEN NOT MATCHED BY SOURCE AND T.sync_id = @sync_id THEN DELETE");
    // without the changelog table, the body has no changelog statements
    List<String> noChangelog =
        BqSql.commitBody(NAMES, null, null, staging("snapshot"), LogTables.snapshotSchema(true));
    assertThat(noChangelog).hasSize(3).noneMatch(s -> s.contains("sync_changelog"));
    assertThat(noChangelog.get(1)).contains("split_group").contains("S.split_group");
  }

  @Test
  void createsPartitionedAndClusteredTablesWithJsonFields() {
    List<String> ddl = BqDdl.statements(NAMES, true);
    assertThat(ddl.get(0)).isEqualTo("CREATE SCHEMA IF NOT EXISTS `my-proj.sync_audit`");
    assertThat(ddl.get(1))
        .startsWith("CREATE TABLE IF NOT EXISTS `my-proj.sync_audit.sync_changelog` (\n")
        .contains("  sync_id STRING NOT NULL,\n")
        .contains("  fields JSON,\n")
        .contains("  fields_hash INT64,\n")
        .endsWith(
            "  run_date DATE NOT NULL\n)\nPARTITION BY run_date CLUSTER BY sync_id, sync_run_id");
    assertThat(ddl.get(2))
        .contains("  fields JSON,\n")
        .contains("  in_destination BOOL,\n")
        .endsWith("  fields_text STRING\n)\nCLUSTER BY sync_id, row_id");
    assertThat(ddl.get(3))
        .contains("  started_at TIMESTAMP,\n")
        .contains("  num_planned_add INT64,\n")
        .endsWith("CLUSTER BY sync_id");
    assertThat(ddl.get(4))
        .contains("`my-proj.sync_audit.sync_plans`")
        .contains("  fields STRING,\n");
    assertThat(ddl.get(5)).contains("`my-proj.sync_audit._synclog_locks`");
    assertThat(ddl).hasSize(6);
    assertThat(BqDdl.statements(NAMES, false)).hasSize(5).noneMatch(s -> s.contains("changelog"));
    assertThat(BqDdl.addSplitGroup(NAMES, "snapshot"))
        .isEqualTo(
            "ALTER TABLE `my-proj.sync_audit.sync_snapshot` ADD COLUMN IF NOT EXISTS split_group"
                + " STRING");
  }

  @Test
  void claimsLocksAndStoresPlansWithParametersOnly() {
    assertThat(BqSql.claim(NAMES))
        .isEqualTo(
            "INSERT INTO `my-proj.sync_audit._synclog_locks` (sync_id, sync_run_id, phase,"
                + " base_version, started_at, claimed_at)\nSELECT @sync_id, @run_id, 'recording',"
                + " 0, @started_at, CURRENT_TIMESTAMP()\nWHERE NOT EXISTS (SELECT 1 FROM"
                + " `my-proj.sync_audit._synclog_locks` WHERE sync_id = @sync_id)");
    assertThat(BqSql.planBody(NAMES, staging("sync_plans"), LogTables.planSchema()))
        .containsExactly(
            BqSql.assertLock(NAMES),
            "DELETE FROM `my-proj.sync_audit.sync_plans` WHERE sync_id = @sync_id",
            "INSERT INTO `my-proj.sync_audit.sync_plans` (sync_id, sync_run_id, row_id, op_type,"
                + " fields, fields_hash, split_group, rejected_reason)\nSELECT sync_id, sync_run_id,"
                + " row_id, op_type, fields, fields_hash, split_group, rejected_reason FROM "
                + staging("sync_plans"),
            "UPDATE `my-proj.sync_audit._synclog_locks` SET phase = 'planned', model_schema ="
                + " @model_schema WHERE sync_id = @sync_id AND sync_run_id = @run_id");
    assertThat(BqSql.releaseBody(NAMES, true))
        .containsExactly(
            "DELETE FROM `my-proj.sync_audit.sync_plans` WHERE sync_id = @sync_id",
            "DELETE FROM `my-proj.sync_audit._synclog_locks` WHERE sync_id = @sync_id AND"
                + " sync_run_id = @run_id");
    assertThat(BqSql.pruneRuns(NAMES, false))
        .isEqualTo(
            "DELETE FROM `my-proj.sync_audit.sync_runs` R WHERE R.started_at < @cutoff AND EXISTS"
                + " (SELECT 1 FROM `my-proj.sync_audit.sync_runs` L WHERE L.sync_id = R.sync_id AND"
                + " (L.started_at > R.started_at OR (L.started_at = R.started_at AND L.recorded_at >"
                + " R.recorded_at)))");
    assertThat(BqSql.pruneChangelog(NAMES, false))
        .isEqualTo(
            "DELETE FROM `my-proj.sync_audit.sync_changelog` C WHERE C.run_date < @cutoff_date AND"
                + " NOT EXISTS (SELECT 1 FROM `my-proj.sync_audit.sync_runs` K WHERE K.sync_id ="
                + " C.sync_id AND K.sync_run_id = C.sync_run_id)");
    // one sync: the same statements, on @sync_id alone; the partition filter on run_date stays
    assertThat(BqSql.pruneRuns(NAMES, true))
        .startsWith(
            "DELETE FROM `my-proj.sync_audit.sync_runs` R WHERE R.started_at < @cutoff AND"
                + " R.sync_id = @sync_id AND EXISTS (");
    assertThat(BqSql.pruneChangelog(NAMES, true))
        .startsWith(
            "DELETE FROM `my-proj.sync_audit.sync_changelog` C WHERE C.run_date < @cutoff_date AND"
                + " C.sync_id = @sync_id AND NOT EXISTS (");
  }

  @Test
  void passesTheRunsRowAsTypedParameters() {
    RunRecord run =
        new RunRecord(
            "s'1",
            "r1",
            "id",
            "Salesforce",
            "model",
            "m1",
            "succeeded",
            null,
            Instant.parse("2026-03-01T10:00:00Z"),
            Instant.parse("2026-03-01T10:05:00.123456789Z"),
            RunCounts.of(List.of(new RunCounts.Cell("added", "succeeded", 3))),
            0,
            0,
            "id:string",
            Instant.parse("2026-03-01T10:06:00Z"));
    RunLock lock =
        new RunLock(new SyncRun("s'1", "r1"), RunLock.RECORDING, 0, run.startedAt(), null, false);
    List<BqParam> p =
        BigQueryLogSink.commitParams(
            lock, new RunOutput(null, null, run, LocalDate.parse("2026-03-01")));
    List<String> actual = p.stream().map(BqParam::toString).toList();
    assertThat(actual.subList(0, 12))
        .as("actual: %s", actual)
        .containsExactly(
            "@sync_id STRING = s'1",
            "@run_id STRING = r1",
            "@run_date DATE = 2026-03-01",
            "@r_sync_id STRING = s'1",
            "@r_sync_run_id STRING = r1",
            "@r_primary_key STRING = id",
            "@r_destination STRING = Salesforce",
            "@r_model_name STRING = model",
            "@r_model_id STRING = m1",
            "@r_status STRING = succeeded",
            "@r_error STRING = NULL",
            "@r_started_at TIMESTAMP = 2026-03-01 10:00:00.000000+00:00");
    assertThat(actual)
        .contains(
            "@r_finished_at TIMESTAMP = 2026-03-01 10:05:00.123456+00:00",
            "@r_num_planned_add INT64 = 3",
            "@r_num_succeeded_add INT64 = 3",
            "@r_num_failed_add INT64 = 0",
            "@r_model_schema STRING = id:string")
        .hasSize(3 + LogTables.runsSchema().fields().length);
    // every parameter the script names is passed, and none is unused
    String script = commitScript();
    for (BqParam param : p) {
      assertThat(script).as(param.name()).containsPattern("@" + param.name() + "\\b");
    }
  }

  @Test
  void quotesPathsAndEscapesLiterals() {
    assertThat(BqNames.quote("my-proj.ds.t")).isEqualTo("`my-proj.ds.t`");
    assertThat(BqNames.quote("a`b\\c")).isEqualTo("`a\\`b\\\\c`");
    assertThat(NAMES.qualified("snapshot")).isEqualTo("`my-proj.sync_audit.sync_snapshot`");
    assertThat(new BqNames("example.com:proj-1", "ds", PHYSICAL).qualified("runs"))
        .isEqualTo("`example.com:proj-1.ds.sync_runs`");
    assertThat(BqNames.literal("plain")).isEqualTo("'plain'");
    assertThat(BqNames.literal("it's")).isEqualTo("'it\\'s'");
    assertThat(BqNames.literal("back\\slash")).isEqualTo("'back\\\\slash'");
    assertThat(BqNames.literal("two\nlines\tand\r")).isEqualTo("'two\\nlines\\tand\\r'");
    assertThat(BqNames.literal("bell\u0007")).isEqualTo("'bell\\u0007'");
    assertThat(BqSql.runFilter(new SyncRun("s'1", "r\\1")))
        .isEqualTo("sync_id = 's\\'1' AND sync_run_id = 'r\\\\1'");
  }

  @Test
  void rejectsNamesThatAreNotPlainIdentifiers() {
    for (String bad : List.of("sync-audit", "a;b", "x`y", "1abc", "a b", "")) {
      assertThatThrownBy(() -> new BqNames("my-proj", bad, PHYSICAL))
          .as(bad)
          .isInstanceOf(SyncLogException.class)
          .hasMessageContaining("target.schema");
    }
    assertThatThrownBy(() -> new BqNames("my-proj", "ok", Map.of("runs", "runs`x")))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("a table name");
  }

  @Test
  void recognisesTransactionConflicts() {
    assertThat(
            BqSql.isConcurrentUpdate(
                "Transaction is aborted due to concurrent update against table p:d.t"))
        .isTrue();
    assertThat(
            BqSql.isConcurrentUpdate(
                "Could not serialize access to table p:d.t due to concurrent update"))
        .isTrue();
    assertThat(BqSql.isConcurrentUpdate("Syntax error: Unexpected keyword")).isFalse();
  }
}
