package io.synclog.sink.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.error.SyncLogException;
import io.synclog.log.LogTables;
import io.synclog.log.RunCounts;
import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import io.synclog.sink.PruneScope;
import io.synclog.sink.RunLock;
import io.synclog.sink.warehouse.SqlStatement;
import io.synclog.source.InputSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Every statement the Snowflake sink issues, and the connector options it passes, pinned exactly
 * for a sample run; identifier quoting, literal escaping and the type mapping. No server, no Spark.
 */
class SnowflakeSqlTest {
  static final Map<String, String> PHYSICAL =
      Map.of("changelog", "sync_changelog", "snapshot", "sync_snapshot", "runs", "sync_runs");
  static final SnowflakeNames NAMES = new SnowflakeNames("sync_audit", PHYSICAL);
  static final SnowflakeSql SQL = new SnowflakeSql(NAMES);
  static final SnowflakeLocks LOCKS = new SnowflakeLocks(NAMES);
  static final RunLock LOCK =
      new RunLock(
          new SyncRun("s1", "r1"),
          "recording",
          0,
          Instant.parse("2026-03-01T10:00:00Z"),
          null,
          false);
  static final String TS = "'YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM'";

  static RunRecord sampleRun() {
    return new RunRecord(
        "s1",
        "r1",
        "id",
        "Salesforce",
        "model s1",
        "m-s1",
        "succeeded",
        null,
        Instant.parse("2026-03-01T10:00:00Z"),
        Instant.parse("2026-03-01T10:10:00Z"),
        new RunCounts(
            Map.of(
                "added", new RunCounts.Counts(2, 1, 0),
                "changed", new RunCounts.Counts(0, 0, 0),
                "removed", new RunCounts.Counts(0, 0, 0))),
        0L,
        0L,
        "id BIGINT",
        Instant.parse("2026-03-01T10:10:01Z"));
  }

  private static void same(List<String> expected, List<String> actual) {
    System.out.println("expected:\n" + String.join("\n", expected));
    System.out.println("actual:\n" + String.join("\n", actual));
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  private static List<String> rendered(List<SqlStatement> statements) {
    return statements.stream().map(SqlStatement::render).toList();
  }

  @Test
  void namesAreFoldedToUpperCaseAndQuotedAndBadNamesAreRejected() {
    assertThat(SnowflakeNames.quote("sync_changelog")).isEqualTo("\"SYNC_CHANGELOG\"");
    assertThat(SnowflakeNames.quote("a\"b")).isEqualTo("\"A\"\"B\"");
    assertThat(NAMES.qualified("changelog")).isEqualTo("\"SYNC_AUDIT\".\"SYNC_CHANGELOG\"");
    assertThat(NAMES.qualified(SnowflakeNames.LOCKS))
        .isEqualTo("\"SYNC_AUDIT\".\"_SYNCLOG_LOCKS\"");
    assertThat(NAMES.display("runs")).isEqualTo("SYNC_AUDIT.SYNC_RUNS");
    // the staging name depends on sync and run only: a rerun finds its predecessor's table
    assertThat(NAMES.staging(new SyncRun("s1", "r1"), "snapshot"))
        .isEqualTo("\"SYNC_AUDIT\".\"_SYNCLOG_STAGE_1478CD29C06B172B_SNAPSHOT\"")
        .isEqualTo(NAMES.staging(new SyncRun("s1", "r1"), "snapshot"))
        .isNotEqualTo(NAMES.staging(new SyncRun("s1", "r2"), "snapshot"));
    for (String bad : List.of("sync-audit", "a;drop table x", "x\"y", "1abc", "a b", "")) {
      assertThatThrownBy(() -> new SnowflakeNames(bad, PHYSICAL))
          .as(bad)
          .isInstanceOf(SyncLogException.class)
          .hasMessageContaining("target.schema");
    }
  }

  @Test
  void literalsDoubleQuotesAndEscapeBackslashesAndRenderInlinesParameters() {
    assertThat(SqlStatement.literal("O'Brien")).isEqualTo("'O''Brien'");
    assertThat(SqlStatement.literal("a\\'b")).isEqualTo("'a\\\\''b'");
    assertThat(SqlStatement.literal("50%; DROP")).isEqualTo("'50%; DROP'");
    SqlStatement s =
        SqlStatement.of(
            "SELECT ?, '?', ?, ?, ?, ?",
            "it's",
            7L,
            true,
            null,
            java.sql.Date.valueOf("2026-03-02"));
    assertThat(s.render()).isEqualTo("SELECT 'it''s', '?', 7, TRUE, NULL, DATE '2026-03-02'");
  }

  @Test
  void mapsEverySparkTypeAModelOrATableMayHold() {
    Map<DataType, String> expected = new LinkedHashMap<>();
    expected.put(DataTypes.StringType, "VARCHAR");
    expected.put(DataTypes.NullType, "VARCHAR");
    expected.put(DataTypes.BooleanType, "BOOLEAN");
    expected.put(DataTypes.ByteType, "BYTEINT");
    expected.put(DataTypes.ShortType, "SMALLINT");
    expected.put(DataTypes.IntegerType, "INTEGER");
    expected.put(DataTypes.LongType, "BIGINT");
    expected.put(DataTypes.FloatType, "FLOAT");
    expected.put(DataTypes.DoubleType, "FLOAT");
    expected.put(DataTypes.createDecimalType(38, 0), "NUMBER(38, 0)");
    expected.put(DataTypes.createDecimalType(12, 4), "NUMBER(12, 4)");
    expected.put(DataTypes.DateType, "DATE");
    expected.put(DataTypes.TimestampType, "TIMESTAMP_TZ");
    expected.put(DataTypes.TimestampNTZType, "TIMESTAMP_NTZ");
    expected.put(DataTypes.BinaryType, "BINARY");
    expected.put(new StructType().add("a", DataTypes.IntegerType), "OBJECT");
    expected.put(DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), "OBJECT");
    expected.put(DataTypes.createArrayType(DataTypes.StringType), "ARRAY");
    List<String> actual = new ArrayList<>();
    List<String> wanted = new ArrayList<>();
    expected.forEach(
        (t, sf) -> {
          wanted.add(t.simpleString() + " -> " + sf);
          actual.add(t.simpleString() + " -> " + SnowflakeDdl.type(t));
        });
    same(wanted, actual);
    for (DataType unsupported :
        List.of(DataTypes.CalendarIntervalType, DataTypes.createDayTimeIntervalType())) {
      assertThatThrownBy(() -> SnowflakeDdl.type(unsupported))
          .hasMessageContaining("cast it to a string");
    }
  }

  @Test
  void createsTheTablesWithVariantFieldsAndClusteringKeys() {
    String expected =
        """
        CREATE TABLE IF NOT EXISTS "SYNC_AUDIT"."SYNC_CHANGELOG" (
          "SYNC_ID" VARCHAR NOT NULL,
          "SYNC_RUN_ID" VARCHAR NOT NULL,
          "OP_TYPE" VARCHAR,
          "ROW_ID" VARCHAR,
          "STATUS" VARCHAR,
          "FAILED_REASON" VARCHAR,
          "FIELDS" VARIANT,
          "FIELDS_HASH" BIGINT,
          "RUN_DATE" DATE NOT NULL
        ) CLUSTER BY ("SYNC_ID", "RUN_DATE");
        CREATE TABLE IF NOT EXISTS "SYNC_AUDIT"."SYNC_SNAPSHOT" (
          "SYNC_ID" VARCHAR NOT NULL,
          "OP_TYPE" VARCHAR,
          "ROW_ID" VARCHAR NOT NULL,
          "STATUS" VARCHAR,
          "FAILED_REASON" VARCHAR,
          "FIELDS" VARIANT,
          "FIELDS_HASH" BIGINT,
          "IN_DESTINATION" BOOLEAN,
          "LAST_SYNC_RUN_ID" VARCHAR,
          PRIMARY KEY ("SYNC_ID", "ROW_ID")
        ) CLUSTER BY ("SYNC_ID");
        CREATE TABLE IF NOT EXISTS "SYNC_AUDIT"."SYNC_RUNS" (
          "SYNC_ID" VARCHAR NOT NULL,
          "SYNC_RUN_ID" VARCHAR NOT NULL,
          "PRIMARY_KEY" VARCHAR,
          "DESTINATION" VARCHAR,
          "MODEL_NAME" VARCHAR,
          "MODEL_ID" VARCHAR,
          "STATUS" VARCHAR,
          "ERROR" VARCHAR,
          "STARTED_AT" TIMESTAMP_TZ,
          "FINISHED_AT" TIMESTAMP_TZ,
          "NUM_PLANNED_ADD" BIGINT,
          "NUM_PLANNED_CHANGE" BIGINT,
          "NUM_PLANNED_REMOVE" BIGINT,
          "NUM_ATTEMPTED_ADD" BIGINT,
          "NUM_ATTEMPTED_CHANGE" BIGINT,
          "NUM_ATTEMPTED_REMOVE" BIGINT,
          "NUM_SUCCEEDED_ADD" BIGINT,
          "NUM_SUCCEEDED_CHANGE" BIGINT,
          "NUM_SUCCEEDED_REMOVE" BIGINT,
          "NUM_FAILED_ADD" BIGINT,
          "NUM_FAILED_CHANGE" BIGINT,
          "NUM_FAILED_REMOVE" BIGINT,
          "NUM_REJECTED_ROWS" BIGINT,
          "NUM_TOLERATED_STATUS_PROBLEMS" BIGINT,
          "MODEL_SCHEMA" VARCHAR,
          "RECORDED_AT" TIMESTAMP_TZ,
          PRIMARY KEY ("SYNC_ID", "SYNC_RUN_ID")
        );
        CREATE TABLE IF NOT EXISTS "SYNC_AUDIT"."SYNC_PLANS" (
          "SYNC_ID" VARCHAR NOT NULL,
          "SYNC_RUN_ID" VARCHAR NOT NULL,
          "ROW_ID" VARCHAR,
          "OP_TYPE" VARCHAR,
          "FIELDS" VARCHAR,
          "FIELDS_HASH" BIGINT,
          "SPLIT_GROUP" VARCHAR,
          "REJECTED_REASON" VARCHAR
        );
        CREATE TABLE IF NOT EXISTS "SYNC_AUDIT"."_SYNCLOG_LOCKS" (
          "SYNC_ID" VARCHAR NOT NULL,
          "SYNC_RUN_ID" VARCHAR NOT NULL,
          "PHASE" VARCHAR NOT NULL,
          "BASE_VERSION" BIGINT NOT NULL,
          "STARTED_AT" TIMESTAMP_TZ NOT NULL,
          "CLAIMED_AT" TIMESTAMP_TZ,
          "MODEL_SCHEMA" VARCHAR,
          PRIMARY KEY ("SYNC_ID")
        )""";
    List<String> actual = SnowflakeDdl.tables(NAMES, true);
    same(List.of(expected.split(";\n")), actual);
    assertThat(SnowflakeDdl.createSchema(NAMES))
        .isEqualTo("CREATE SCHEMA IF NOT EXISTS \"SYNC_AUDIT\"");
    // without the changelog, its table is not created
    assertThat(SnowflakeDdl.tables(NAMES, false))
        .hasSize(4)
        .noneMatch(s -> s.contains("CHANGELOG"));
    assertThat(SnowflakeDdl.addSplitGroup(NAMES, "snapshot"))
        .isEqualTo(
            "ALTER TABLE \"SYNC_AUDIT\".\"SYNC_SNAPSHOT\" ADD COLUMN IF NOT EXISTS"
                + " \"SPLIT_GROUP\" VARCHAR");
  }

  @Test
  void stagesIntoATransientTableWithFieldsAsText() {
    String table = NAMES.staging(new SyncRun("s1", "r1"), "snapshot");
    same(
        List.of(
            "DROP TABLE IF EXISTS " + table,
            "CREATE TRANSIENT TABLE "
                + table
                + " (\n  \"SYNC_ID\" VARCHAR,\n  \"OP_TYPE\" VARCHAR,\n  \"ROW_ID\" VARCHAR,\n"
                + "  \"STATUS\" VARCHAR,\n  \"FAILED_REASON\" VARCHAR,\n  \"FIELDS\" VARCHAR,\n"
                + "  \"FIELDS_HASH\" BIGINT,\n  \"IN_DESTINATION\" BOOLEAN,\n"
                + "  \"LAST_SYNC_RUN_ID\" VARCHAR\n)"),
        SnowflakeDdl.createStaging(table, LogTables.snapshotSchema(false)));
    assertThat(SnowflakeDdl.dropStaging(table)).isEqualTo("DROP TABLE IF EXISTS " + table);
  }

  @Test
  void aCommitIsLockCheckChangelogReplaceSnapshotReplaceAndRunsMerge() {
    String cl = NAMES.staging(new SyncRun("s1", "r1"), "changelog");
    String sn = NAMES.staging(new SyncRun("s1", "r1"), "snapshot");
    List<SqlStatement> all = new ArrayList<>();
    all.add(LOCKS.lockCheck(LOCK));
    all.addAll(
        SQL.commit(
            LOCK,
            cl,
            LogTables.changelogSchema(false),
            sn,
            LogTables.snapshotSchema(false),
            sampleRun()));
    String merge =
        """
        MERGE INTO "SYNC_AUDIT"."SYNC_RUNS" t USING (SELECT ? AS "SYNC_ID", ? AS "SYNC_RUN_ID", ? AS "PRIMARY_KEY", ? AS "DESTINATION", ? AS "MODEL_NAME", ? AS "MODEL_ID", ? AS "STATUS", ? AS "ERROR", TO_TIMESTAMP_TZ(?, 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM') AS "STARTED_AT", TO_TIMESTAMP_TZ(?, 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM') AS "FINISHED_AT", ? AS "NUM_PLANNED_ADD", ? AS "NUM_PLANNED_CHANGE", ? AS "NUM_PLANNED_REMOVE", ? AS "NUM_ATTEMPTED_ADD", ? AS "NUM_ATTEMPTED_CHANGE", ? AS "NUM_ATTEMPTED_REMOVE", ? AS "NUM_SUCCEEDED_ADD", ? AS "NUM_SUCCEEDED_CHANGE", ? AS "NUM_SUCCEEDED_REMOVE", ? AS "NUM_FAILED_ADD", ? AS "NUM_FAILED_CHANGE", ? AS "NUM_FAILED_REMOVE", ? AS "NUM_REJECTED_ROWS", ? AS "NUM_TOLERATED_STATUS_PROBLEMS", ? AS "MODEL_SCHEMA", TO_TIMESTAMP_TZ(?, 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM') AS "RECORDED_AT") s ON t."SYNC_ID" = s."SYNC_ID" AND t."SYNC_RUN_ID" = s."SYNC_RUN_ID" WHEN MATCHED THEN UPDATE SET "PRIMARY_KEY" = s."PRIMARY_KEY", "DESTINATION" = s."DESTINATION", "MODEL_NAME" = s."MODEL_NAME", "MODEL_ID" = s."MODEL_ID", "STATUS" = s."STATUS", "ERROR" = s."ERROR", "STARTED_AT" = s."STARTED_AT", "FINISHED_AT" = s."FINISHED_AT", "NUM_PLANNED_ADD" = s."NUM_PLANNED_ADD", "NUM_PLANNED_CHANGE" = s."NUM_PLANNED_CHANGE", "NUM_PLANNED_REMOVE" = s."NUM_PLANNED_REMOVE", "NUM_ATTEMPTED_ADD" = s."NUM_ATTEMPTED_ADD", "NUM_ATTEMPTED_CHANGE" = s."NUM_ATTEMPTED_CHANGE", "NUM_ATTEMPTED_REMOVE" = s."NUM_ATTEMPTED_REMOVE", "NUM_SUCCEEDED_ADD" = s."NUM_SUCCEEDED_ADD", "NUM_SUCCEEDED_CHANGE" = s."NUM_SUCCEEDED_CHANGE", "NUM_SUCCEEDED_REMOVE" = s."NUM_SUCCEEDED_REMOVE", "NUM_FAILED_ADD" = s."NUM_FAILED_ADD", "NUM_FAILED_CHANGE" = s."NUM_FAILED_CHANGE", "NUM_FAILED_REMOVE" = s."NUM_FAILED_REMOVE", "NUM_REJECTED_ROWS" = s."NUM_REJECTED_ROWS", "NUM_TOLERATED_STATUS_PROBLEMS" = s."NUM_TOLERATED_STATUS_PROBLEMS", "MODEL_SCHEMA" = s."MODEL_SCHEMA", "RECORDED_AT" = s."RECORDED_AT" WHEN NOT MATCHED THEN INSERT ("SYNC_ID", "SYNC_RUN_ID", "PRIMARY_KEY", "DESTINATION", "MODEL_NAME", "MODEL_ID", "STATUS", "ERROR", "STARTED_AT", "FINISHED_AT", "NUM_PLANNED_ADD", "NUM_PLANNED_CHANGE", "NUM_PLANNED_REMOVE", "NUM_ATTEMPTED_ADD", "NUM_ATTEMPTED_CHANGE", "NUM_ATTEMPTED_REMOVE", "NUM_SUCCEEDED_ADD", "NUM_SUCCEEDED_CHANGE", "NUM_SUCCEEDED_REMOVE", "NUM_FAILED_ADD", "NUM_FAILED_CHANGE", "NUM_FAILED_REMOVE", "NUM_REJECTED_ROWS", "NUM_TOLERATED_STATUS_PROBLEMS", "MODEL_SCHEMA", "RECORDED_AT") VALUES (s."SYNC_ID", s."SYNC_RUN_ID", s."PRIMARY_KEY", s."DESTINATION", s."MODEL_NAME", s."MODEL_ID", s."STATUS", s."ERROR", s."STARTED_AT", s."FINISHED_AT", s."NUM_PLANNED_ADD", s."NUM_PLANNED_CHANGE", s."NUM_PLANNED_REMOVE", s."NUM_ATTEMPTED_ADD", s."NUM_ATTEMPTED_CHANGE", s."NUM_ATTEMPTED_REMOVE", s."NUM_SUCCEEDED_ADD", s."NUM_SUCCEEDED_CHANGE", s."NUM_SUCCEEDED_REMOVE", s."NUM_FAILED_ADD", s."NUM_FAILED_CHANGE", s."NUM_FAILED_REMOVE", s."NUM_REJECTED_ROWS", s."NUM_TOLERATED_STATUS_PROBLEMS", s."MODEL_SCHEMA", s."RECORDED_AT")""";
    same(
        List.of(
            "UPDATE \"SYNC_AUDIT\".\"_SYNCLOG_LOCKS\" SET \"CLAIMED_AT\" = \"CLAIMED_AT\" WHERE"
                + " \"SYNC_ID\" = ? AND \"SYNC_RUN_ID\" = ? [s1, r1]",
            "DELETE FROM \"SYNC_AUDIT\".\"SYNC_CHANGELOG\" WHERE \"SYNC_ID\" = ? AND"
                + " \"SYNC_RUN_ID\" = ? [s1, r1]",
            "INSERT INTO \"SYNC_AUDIT\".\"SYNC_CHANGELOG\" (\"SYNC_ID\", \"SYNC_RUN_ID\","
                + " \"OP_TYPE\", \"ROW_ID\", \"STATUS\", \"FAILED_REASON\", \"FIELDS\","
                + " \"FIELDS_HASH\", \"RUN_DATE\") SELECT \"SYNC_ID\", \"SYNC_RUN_ID\","
                + " \"OP_TYPE\", \"ROW_ID\", \"STATUS\", \"FAILED_REASON\","
                + " PARSE_JSON(\"FIELDS\"), \"FIELDS_HASH\", \"RUN_DATE\" FROM "
                + cl
                + " []",
            "DELETE FROM \"SYNC_AUDIT\".\"SYNC_SNAPSHOT\" WHERE \"SYNC_ID\" = ? [s1]",
            "INSERT INTO \"SYNC_AUDIT\".\"SYNC_SNAPSHOT\" (\"SYNC_ID\", \"OP_TYPE\", \"ROW_ID\","
                + " \"STATUS\", \"FAILED_REASON\", \"FIELDS\", \"FIELDS_HASH\","
                + " \"IN_DESTINATION\", \"LAST_SYNC_RUN_ID\") SELECT \"SYNC_ID\", \"OP_TYPE\","
                + " \"ROW_ID\", \"STATUS\", \"FAILED_REASON\", PARSE_JSON(\"FIELDS\"),"
                + " \"FIELDS_HASH\", \"IN_DESTINATION\", \"LAST_SYNC_RUN_ID\" FROM "
                + sn
                + " []",
            merge.strip()
                + " [s1, r1, id, Salesforce, model s1, m-s1, succeeded, null,"
                + " 2026-03-01T10:00:00.000000000+00:00, 2026-03-01T10:10:00.000000000+00:00,"
                + " 3, 0, 0, 3, 0, 0, 2, 0, 0, 1, 0, 0, 0, 0, id BIGINT,"
                + " 2026-03-01T10:10:01.000000000+00:00]"),
        all.stream().map(s -> s.sql() + " " + s.params()).toList());
    // DDL never runs inside the commit's transaction (Snowflake would commit it early)
    assertThat(all)
        .extracting(SqlStatement::sql)
        .noneMatch(s -> s.matches("^(CREATE|DROP|ALTER).*"));
    // without the changelog only the snapshot and runs statements remain
    assertThat(SQL.commit(LOCK, null, null, sn, LogTables.snapshotSchema(false), sampleRun()))
        .extracting(SqlStatement::sql)
        .hasSize(3)
        .noneMatch(s -> s.contains("CHANGELOG"));
  }

  @Test
  void locksPlansAndPruneStatements() {
    same(
        List.of(
            "MERGE INTO \"SYNC_AUDIT\".\"_SYNCLOG_LOCKS\" t USING (SELECT 's1' AS \"SYNC_ID\","
                + " 'r1' AS \"SYNC_RUN_ID\", 'recording' AS \"PHASE\", 0 AS \"BASE_VERSION\","
                + " TO_TIMESTAMP_TZ('2026-03-01T10:00:00.000000000+00:00', "
                + TS
                + ") AS \"STARTED_AT\", TO_TIMESTAMP_TZ('2026-03-01T10:00:05.000000000+00:00', "
                + TS
                + ") AS \"CLAIMED_AT\") s ON t.\"SYNC_ID\" = s.\"SYNC_ID\" WHEN NOT MATCHED THEN"
                + " INSERT (\"SYNC_ID\", \"SYNC_RUN_ID\", \"PHASE\", \"BASE_VERSION\","
                + " \"STARTED_AT\", \"CLAIMED_AT\") VALUES (s.\"SYNC_ID\", s.\"SYNC_RUN_ID\","
                + " s.\"PHASE\", s.\"BASE_VERSION\", s.\"STARTED_AT\", s.\"CLAIMED_AT\")",
            "SELECT \"SYNC_ID\", \"SYNC_RUN_ID\", \"PHASE\", \"BASE_VERSION\", \"STARTED_AT\","
                + " \"MODEL_SCHEMA\" FROM \"SYNC_AUDIT\".\"_SYNCLOG_LOCKS\" WHERE \"SYNC_ID\" = 's1'",
            "UPDATE \"SYNC_AUDIT\".\"_SYNCLOG_LOCKS\" SET \"PHASE\" = 'planned', \"MODEL_SCHEMA\" ="
                + " 'id BIGINT' WHERE \"SYNC_ID\" = 's1' AND \"SYNC_RUN_ID\" = 'r1'",
            "DELETE FROM \"SYNC_AUDIT\".\"SYNC_PLANS\" WHERE \"SYNC_ID\" = 's1'",
            "INSERT INTO \"SYNC_AUDIT\".\"SYNC_PLANS\" (\"SYNC_ID\", \"SYNC_RUN_ID\", \"ROW_ID\","
                + " \"OP_TYPE\", \"FIELDS\", \"FIELDS_HASH\", \"SPLIT_GROUP\", \"REJECTED_REASON\")"
                + " SELECT \"SYNC_ID\", \"SYNC_RUN_ID\", \"ROW_ID\", \"OP_TYPE\", \"FIELDS\","
                + " \"FIELDS_HASH\", \"SPLIT_GROUP\", \"REJECTED_REASON\" FROM \"SYNC_AUDIT\"."
                + "\"_SYNCLOG_STAGE_1478CD29C06B172B_SYNC_PLANS\"",
            "DELETE FROM \"SYNC_AUDIT\".\"SYNC_PLANS\" WHERE \"SYNC_ID\" = 's1'",
            "DELETE FROM \"SYNC_AUDIT\".\"_SYNCLOG_LOCKS\" WHERE \"SYNC_ID\" = 's1' AND"
                + " \"SYNC_RUN_ID\" = 'r1'",
            "DELETE FROM \"SYNC_AUDIT\".\"SYNC_RUNS\" r USING (SELECT \"SYNC_ID\", \"SYNC_RUN_ID\","
                + " ROW_NUMBER() OVER (PARTITION BY \"SYNC_ID\" ORDER BY \"STARTED_AT\" DESC,"
                + " \"RECORDED_AT\" DESC) AS NEWEST FROM \"SYNC_AUDIT\".\"SYNC_RUNS\") o WHERE"
                + " r.\"SYNC_ID\" = o.\"SYNC_ID\" AND r.\"SYNC_RUN_ID\" = o.\"SYNC_RUN_ID\" AND"
                + " o.NEWEST > 1 AND r.\"STARTED_AT\" <"
                + " TO_TIMESTAMP_TZ('2026-03-02T00:00:00.000000000+00:00', "
                + TS
                + ")",
            "DELETE FROM \"SYNC_AUDIT\".\"SYNC_CHANGELOG\" WHERE \"RUN_DATE\" < DATE '2026-03-02'"
                + " AND NOT EXISTS (SELECT 1 FROM \"SYNC_AUDIT\".\"SYNC_RUNS\" k WHERE k.\"SYNC_ID\" ="
                + " \"SYNC_CHANGELOG\".\"SYNC_ID\" AND k.\"SYNC_RUN_ID\" ="
                + " \"SYNC_CHANGELOG\".\"SYNC_RUN_ID\")",
            "DELETE FROM \"SYNC_AUDIT\".\"SYNC_RUNS\" r USING (SELECT \"SYNC_ID\", \"SYNC_RUN_ID\","
                + " ROW_NUMBER() OVER (PARTITION BY \"SYNC_ID\" ORDER BY \"STARTED_AT\" DESC,"
                + " \"RECORDED_AT\" DESC) AS NEWEST FROM \"SYNC_AUDIT\".\"SYNC_RUNS\" WHERE"
                + " \"SYNC_ID\" = 's1') o WHERE r.\"SYNC_ID\" = o.\"SYNC_ID\" AND r.\"SYNC_RUN_ID\" ="
                + " o.\"SYNC_RUN_ID\" AND o.NEWEST > 1 AND r.\"STARTED_AT\" <"
                + " TO_TIMESTAMP_TZ('2026-03-02T00:00:00.000000000+00:00', "
                + TS
                + ")",
            "DELETE FROM \"SYNC_AUDIT\".\"SYNC_CHANGELOG\" WHERE \"RUN_DATE\" < DATE '2026-03-02'"
                + " AND \"SYNC_ID\" = 's1' AND NOT EXISTS (SELECT 1 FROM \"SYNC_AUDIT\".\"SYNC_RUNS\""
                + " k WHERE k.\"SYNC_ID\" = \"SYNC_CHANGELOG\".\"SYNC_ID\" AND k.\"SYNC_RUN_ID\" ="
                + " \"SYNC_CHANGELOG\".\"SYNC_RUN_ID\")"),
        rendered(
            concat(
                List.of(
                    LOCKS.claim(
                        new SyncRun("s1", "r1"),
                        Instant.parse("2026-03-01T10:00:00Z"),
                        Instant.parse("2026-03-01T10:00:05Z")),
                    LOCKS.held("s1"),
                    LOCKS.markPlanned(LOCK, "id BIGINT")),
                SQL.storePlan(
                    LOCK,
                    NAMES.staging(new SyncRun("s1", "r1"), SnowflakeNames.PLANS),
                    LogTables.planSchema()),
                LOCKS.release(LOCK),
                List.of(
                    SQL.pruneRuns(Instant.parse("2026-03-02T00:00:00Z"), PruneScope.ALL_SYNCS),
                    SQL.pruneChangelog(Instant.parse("2026-03-02T00:00:00Z"), PruneScope.ALL_SYNCS),
                    SQL.pruneRuns(Instant.parse("2026-03-02T00:00:00Z"), PruneScope.sync("s1")),
                    SQL.pruneChangelog(
                        Instant.parse("2026-03-02T00:00:00Z"), PruneScope.sync("s1"))))));
  }

  @SafeVarargs
  private static List<SqlStatement> concat(List<SqlStatement>... lists) {
    List<SqlStatement> out = new ArrayList<>();
    for (List<SqlStatement> l : lists) {
      out.addAll(l);
    }
    return out;
  }

  @Test
  void readsGiveFieldsBackAsJsonText() {
    assertThat(SQL.selectAll("snapshot", LogTables.snapshotSchema(true), true, false))
        .isEqualTo(
            "SELECT \"SYNC_ID\", \"OP_TYPE\", \"ROW_ID\", \"STATUS\", \"FAILED_REASON\","
                + " TO_JSON(\"FIELDS\") AS \"FIELDS\", CAST(NULL AS VARCHAR) AS \"SPLIT_GROUP\","
                + " \"FIELDS_HASH\", \"IN_DESTINATION\", \"LAST_SYNC_RUN_ID\" FROM"
                + " \"SYNC_AUDIT\".\"SYNC_SNAPSHOT\"");
    assertThat(SQL.hasColumn("snapshot", "split_group").render())
        .isEqualTo(
            "SELECT 1 FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'SYNC_AUDIT' AND"
                + " TABLE_NAME = 'SYNC_SNAPSHOT' AND COLUMN_NAME = 'SPLIT_GROUP'");
  }

  @Test
  void connectorOptionsForLoadsQueriesAndTheModelRead() {
    Map<String, String> s = SnowflakeSettingsTest.base();
    SnowflakeSettings st =
        SnowflakeSettings.from(
            SnowflakeSettingsTest.config(
                s, Map.of("target.password", SnowflakeSettingsTest.PASSWORD)));
    Map<String, String> account = st.connectorOptions();
    String table = NAMES.staging(new SyncRun("s1", "r1"), "snapshot");

    Map<String, String> load = new LinkedHashMap<>(account);
    load.put("dbtable", table);
    load.put("usestagingtable", "off");
    load.put("truncate_table", "on");
    load.put("column_mapping", "order");
    load.put("continue_on_error", "off");
    assertThat(SnowflakeTransfer.loadOptions(st, table)).containsExactlyEntriesOf(load);
    assertThat(SnowflakeTransfer.loadOptions(st, table))
        .doesNotContainKeys("preactions", "postactions");

    Map<String, String> query = new LinkedHashMap<>(account);
    query.put("query", "SELECT 1");
    query.put("autopushdown", "on");
    assertThat(SnowflakeTransfer.queryOptions(st, "SELECT 1")).containsExactlyEntriesOf(query);

    Map<String, String> byTable = new LinkedHashMap<>(account);
    byTable.put("dbtable", "MARTS.CUSTOMERS");
    byTable.put("autopushdown", "on");
    assertThat(SnowflakeModelReader.options(st, InputSpec.table("MARTS.CUSTOMERS")))
        .containsExactlyEntriesOf(byTable);
    assertThat(SnowflakeModelReader.options(st, InputSpec.query("SELECT * FROM C WHERE X = 'y'")))
        .containsEntry("query", "SELECT * FROM C WHERE X = 'y'")
        .containsEntry("autopushdown", "on")
        .doesNotContainKey("dbtable");
    assertThatThrownBy(() -> SnowflakeModelReader.options(st, InputSpec.path("/x", "csv")))
        .hasMessageContaining("model.table or model.query");
  }
}
