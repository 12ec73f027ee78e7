package io.synclog.sink.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.error.SyncLogException;
import io.synclog.log.LogTables;
import io.synclog.log.SyncRun;
import io.synclog.sink.PruneScope;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * The exact connector options and SQL of a sample run, the safety of that SQL under the connector's
 * action parsing, identifier rules, the type mapping and the handling of the password: all without
 * a server or a SparkSession.
 */
class RedshiftSqlTest {
  private static final String PASSWORD = "Pa55;word%s'\"x";

  private static final RsNames NAMES =
      new RsNames(
          "sync_audit",
          Map.of("changelog", "sync_changelog", "snapshot", "sync_snapshot", "runs", "sync_runs"));

  private static Map<String, String> settings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("target.kind", "redshift");
    m.put(
        "target.jdbc-url",
        "jdbc:redshift://example.abc123.eu-west-1.redshift.amazonaws.com:5439/dev");
    m.put("target.user", "synclog");
    m.put("target.temp-dir", "s3://acme-synclog/redshift-temp");
    m.put("target.iam-role", "arn:aws:iam::123456789012:role/synclog-copy");
    return m;
  }

  private static SyncConfig config(Map<String, String> settings, Map<String, String> secrets) {
    return SyncConfig.resolve(
        new ConfigSources(Map.of(), secrets, Map.of(), settings), SyncConfig.Need.TARGET);
  }

  private static RsTarget target() {
    return RsTarget.from(config(settings(), Map.of("target.password", PASSWORD)));
  }

  /** The connector's own handling of an action option: trim, split on ';', format '%s'. */
  private static List<String> asConnectorRunsThem(String option, String table) {
    List<String> out = new ArrayList<>();
    for (String action : option.trim().split(";")) {
      out.add(action.contains("%s") ? String.format(action, table) : action);
    }
    return out;
  }

  @Test
  void connectorOptionsAreExactlyTheDocumentedOnes() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("url", "jdbc:redshift://example.abc123.eu-west-1.redshift.amazonaws.com:5439/dev");
    expected.put("jdbcdriver", "com.amazon.redshift.jdbc42.Driver");
    expected.put("user", "synclog");
    expected.put("password", PASSWORD);
    expected.put("dbtable", "\"sync_audit\".\"sync_snapshot\"");
    expected.put("tempdir", "s3://acme-synclog/redshift-temp");
    expected.put("aws_iam_role", "arn:aws:iam::123456789012:role/synclog-copy");
    expected.put("tempformat", "AVRO");
    expected.put("include_column_list", "true");
    expected.put("copyretrycount", "0");
    Map<String, String> actual = target().connectorOptions(NAMES.qualified("snapshot"));
    assertThat(actual).as("connector options").containsExactlyEntriesOf(expected);
    assertThat(RsTarget.CONNECTOR).isEqualTo("io.github.spark_redshift_community.spark.redshift");
  }

  @Test
  void aSampleCommitRunsExactlyTheseStatementsInOneTransaction() {
    String stg = NAMES.staging(new SyncRun("s1", "r1"), "commit");
    assertThat(stg).matches("\"sync_audit\"\\.\"_synclog_stage_[0-9a-f]{16}_commit\"");
    List<String> changelog = List.of(LogTables.changelogSchema(false).fieldNames());
    List<String> snapshot = List.of(LogTables.snapshotSchema(false).fieldNames());
    List<String> runs = List.of("sync_id", "sync_run_id", "status", "started_at");
    List<String> actual = RsSwap.commit(NAMES, stg, changelog, snapshot, runs);
    List<String> expected =
        List.of(
            "UPDATE \"sync_audit\".\"_synclog_locks\" SET \"phase\" = \"phase\" FROM "
                + stg
                + " s WHERE s.\"kind\" = 'run' AND \"_synclog_locks\".\"sync_id\" = s.\"sync_id\""
                + " AND \"_synclog_locks\".\"sync_run_id\" = s.\"sync_run_id\"",
            "SELECT CAST(CASE WHEN (SELECT COUNT(*) FROM \"sync_audit\".\"_synclog_locks\" l JOIN "
                + stg
                + " s ON l.\"sync_id\" = s.\"sync_id\" AND l.\"sync_run_id\" = s.\"sync_run_id\""
                + " WHERE s.\"kind\" = 'run') = 1 THEN '1' ELSE 'synclog: the run no longer holds"
                + " the lock' END AS INTEGER)",
            "DELETE FROM \"sync_audit\".\"sync_changelog\" USING "
                + stg
                + " s WHERE s.\"kind\" = 'run' AND \"sync_changelog\".\"sync_id\" = s.\"sync_id\""
                + " AND \"sync_changelog\".\"sync_run_id\" = s.\"sync_run_id\"",
            "INSERT INTO \"sync_audit\".\"sync_changelog\" (\"sync_id\", \"sync_run_id\","
                + " \"op_type\", \"row_id\", \"status\", \"failed_reason\", \"fields\","
                + " \"fields_hash\", \"run_date\") SELECT \"sync_id\", \"sync_run_id\","
                + " \"op_type\", \"row_id\", \"status\", \"failed_reason\", JSON_PARSE(\"fields\"),"
                + " \"fields_hash\", \"run_date\" FROM "
                + stg
                + " WHERE \"kind\" = 'changelog'",
            "DELETE FROM \"sync_audit\".\"sync_snapshot\" USING "
                + stg
                + " s WHERE s.\"kind\" = 'run' AND \"sync_snapshot\".\"sync_id\" = s.\"sync_id\"",
            "INSERT INTO \"sync_audit\".\"sync_snapshot\" (\"sync_id\", \"op_type\", \"row_id\","
                + " \"status\", \"failed_reason\", \"fields\", \"fields_text\", \"fields_hash\","
                + " \"in_destination\", \"last_sync_run_id\") SELECT \"sync_id\", \"op_type\","
                + " \"row_id\", \"status\", \"failed_reason\", JSON_PARSE(\"fields\"), \"fields\","
                + " \"fields_hash\", \"in_destination\", \"last_sync_run_id\" FROM "
                + stg
                + " WHERE \"kind\" = 'snapshot'",
            "DELETE FROM \"sync_audit\".\"sync_runs\" USING "
                + stg
                + " s WHERE s.\"kind\" = 'run' AND \"sync_runs\".\"sync_id\" = s.\"sync_id\""
                + " AND \"sync_runs\".\"sync_run_id\" = s.\"sync_run_id\"",
            "INSERT INTO \"sync_audit\".\"sync_runs\" (\"sync_id\", \"sync_run_id\", \"status\","
                + " \"started_at\") SELECT \"sync_id\", \"sync_run_id\", \"status\","
                + " \"started_at\" FROM "
                + stg
                + " WHERE \"kind\" = 'run'");
    assertThat(actual).as("postactions of a commit").containsExactlyElementsOf(expected);
    // nothing that commits implicitly on Redshift
    assertThat(String.join("\n", actual))
        .doesNotContainIgnoringCase("TRUNCATE")
        .doesNotContainIgnoringCase("APPEND");
    // the connector gives back exactly these statements
    assertThat(asConnectorRunsThem(RsSwap.join(actual), stg)).containsExactlyElementsOf(expected);
  }

  @Test
  void pruneTakesOneSyncOrEveryAndLeavesTheChangelogOfTheRunsItKeeps() {
    RsSql sql = new RsSql(NAMES);
    Instant cutoff = Instant.parse("2026-03-03T00:00:00Z");
    String newer =
        " AND EXISTS (SELECT 1 FROM \"sync_audit\".\"sync_runs\" n WHERE n.\"sync_id\" ="
            + " \"sync_runs\".\"sync_id\" AND (n.\"started_at\" > \"sync_runs\".\"started_at\" OR"
            + " (n.\"started_at\" = \"sync_runs\".\"started_at\" AND n.\"recorded_at\" >"
            + " \"sync_runs\".\"recorded_at\")))";
    assertThat(sql.pruneRuns(cutoff, PruneScope.ALL_SYNCS).render())
        .isEqualTo(
            "DELETE FROM \"sync_audit\".\"sync_runs\" WHERE \"started_at\" <"
                + " '2026-03-03T00:00:00Z'"
                + newer);
    assertThat(sql.pruneRuns(cutoff, PruneScope.sync("s1")).render())
        .isEqualTo(
            "DELETE FROM \"sync_audit\".\"sync_runs\" WHERE \"started_at\" <"
                + " '2026-03-03T00:00:00Z' AND \"sync_id\" = 's1'"
                + newer);
    // no alias on the DELETE's table: Redshift takes none
    assertThat(sql.pruneChangelog(cutoff, PruneScope.sync("s1")).render())
        .isEqualTo(
            "DELETE FROM \"sync_audit\".\"sync_changelog\" WHERE \"run_date\" < DATE '2026-03-03'"
                + " AND \"sync_id\" = 's1' AND NOT EXISTS (SELECT 1 FROM \"sync_audit\".\"sync_runs\""
                + " k WHERE k.\"sync_id\" = \"sync_changelog\".\"sync_id\" AND k.\"sync_run_id\" ="
                + " \"sync_changelog\".\"sync_run_id\")");
  }

  @Test
  void aPlanIsStoredAndTheLockMarkedInTheSameTransaction() {
    String stg = NAMES.staging(new SyncRun("s1", "r1"), "plan");
    List<String> actual =
        RsSwap.plan(NAMES, stg, List.of("sync_id", "sync_run_id", "row_id", "fields"));
    assertThat(actual).hasSize(5);
    assertThat(actual.subList(0, 2)).isEqualTo(RsSwap.lockCheck(NAMES, stg));
    assertThat(actual.subList(2, 5))
        .containsExactly(
            "DELETE FROM \"sync_audit\".\"sync_plans\" USING "
                + stg
                + " s WHERE s.\"kind\" = 'run' AND \"sync_plans\".\"sync_id\" = s.\"sync_id\"",
            "INSERT INTO \"sync_audit\".\"sync_plans\" (\"sync_id\", \"sync_run_id\", \"row_id\","
                + " \"fields\") SELECT \"sync_id\", \"sync_run_id\", \"row_id\", \"fields\" FROM "
                + stg
                + " WHERE \"kind\" = 'plan'",
            "UPDATE \"sync_audit\".\"_synclog_locks\" SET \"phase\" = 'planned',"
                + " \"model_schema\" = s.\"model_schema\" FROM "
                + stg
                + " s WHERE s.\"kind\" = 'run' AND \"_synclog_locks\".\"sync_id\" = s.\"sync_id\""
                + " AND \"_synclog_locks\".\"sync_run_id\" = s.\"sync_run_id\"");
  }

  @Test
  void theDdlDeclaresSuperFieldsAndNoRedshiftOnlyClauses() {
    List<String> ddl = RsDdl.statements(NAMES, true);
    assertThat(ddl).hasSize(5);
    assertThat(ddl.get(1))
        .isEqualTo(
            "CREATE TABLE IF NOT EXISTS \"sync_audit\".\"sync_snapshot\" (\n"
                + "  \"sync_id\" VARCHAR(1024) NOT NULL,\n"
                + "  \"op_type\" VARCHAR(1024),\n"
                + "  \"row_id\" VARCHAR(1024) NOT NULL,\n"
                + "  \"status\" VARCHAR(1024),\n"
                + "  \"failed_reason\" VARCHAR(65535),\n"
                + "  \"fields\" SUPER,\n"
                + "  \"fields_hash\" BIGINT,\n"
                + "  \"in_destination\" BOOLEAN,\n"
                + "  \"last_sync_run_id\" VARCHAR(1024),\n"
                + "  \"fields_text\" VARCHAR(65535),\n"
                + "  PRIMARY KEY (sync_id, row_id)\n"
                + ")");
    assertThat(ddl.get(0)).contains("\"fields\" SUPER", "\"run_date\" DATE NOT NULL");
    assertThat(ddl.get(2)).contains("\"started_at\" TIMESTAMPTZ", "\"num_planned_add\" BIGINT");
    assertThat(String.join("\n", ddl)).doesNotContain("DISTKEY", "SORTKEY", "DISTSTYLE", ";");
  }

  @Test
  void hostileIdsAndTextsNeverReachTheSql() {
    String hostile = "x'); DROP TABLE sync_runs; -- %s %% \"q\" \\";
    String stg = NAMES.staging(new SyncRun(hostile, hostile + "%n"), "commit");
    assertThat(stg).matches("\"sync_audit\"\\.\"_synclog_stage_[0-9a-f]{16}_commit\"");
    assertThat(NAMES.staging(new SyncRun(hostile, "r1"), "commit"))
        .as("different runs stage apart")
        .isNotEqualTo(NAMES.staging(new SyncRun(hostile, "r2"), "commit"));
    List<String> all = new ArrayList<>();
    all.addAll(
        RsSwap.commit(
            NAMES,
            stg,
            List.of(LogTables.changelogSchema(true).fieldNames()),
            List.of(LogTables.snapshotSchema(true).fieldNames()),
            List.of(LogTables.runsSchema().fieldNames())));
    all.addAll(RsSwap.plan(NAMES, stg, List.of(LogTables.planSchema().fieldNames())));
    for (String sql : all) {
      assertThat(sql).as(sql).doesNotContain(";", "%", "DROP", "--", "\\");
    }
    String joined = RsSwap.join(all);
    assertThat(asConnectorRunsThem(joined, stg)).containsExactlyElementsOf(all);
    // the guard refuses any statement the connector would split or format
    for (String bad :
        List.of("DELETE FROM t WHERE a = 'x;y'", "SELECT '100%'", "SELECT '%s'", " ")) {
      assertThatThrownBy(() -> RsSwap.join(List.of("SELECT 1", bad)))
          .as(bad)
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void namesArePlainIdentifiersLowerCasedAndQuoted() {
    for (String bad :
        List.of(
            "sync-audit", "a;drop table x", "x\"y", "1abc", "a b", "a%s", "", "x".repeat(128))) {
      Throwable t = catchThrowable(() -> new RsNames(bad, Map.of()));
      assertThat(t).as(bad).isInstanceOf(SyncLogException.class);
      assertThat(((SyncLogException) t).code()).isEqualTo("BAD_IDENTIFIER");
    }
    RsNames mixed = new RsNames("Sync_Audit", Map.of("snapshot", "Sync_Snapshot"));
    assertThat(mixed.qualified("snapshot")).isEqualTo("\"sync_audit\".\"sync_snapshot\"");
    assertThat(RsNames.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(RedshiftModelReader.quoteTable("Analytics.Active_Customers"))
        .isEqualTo("\"analytics\".\"active_customers\"");
    assertThatThrownBy(() -> RedshiftModelReader.quoteTable("a.b\"; drop"))
        .isInstanceOf(SyncLogException.class);
  }

  @Test
  void everySparkTypeMapsToARedshiftType() {
    Map<DataType, String> expected = new LinkedHashMap<>();
    expected.put(DataTypes.StringType, "VARCHAR(65535)");
    expected.put(DataTypes.LongType, "BIGINT");
    expected.put(DataTypes.IntegerType, "INTEGER");
    expected.put(DataTypes.ShortType, "SMALLINT");
    expected.put(DataTypes.ByteType, "SMALLINT");
    expected.put(DataTypes.DoubleType, "DOUBLE PRECISION");
    expected.put(DataTypes.FloatType, "REAL");
    expected.put(DataTypes.createDecimalType(38, 10), "DECIMAL(38,10)");
    expected.put(DataTypes.createDecimalType(10, 0), "DECIMAL(10,0)");
    expected.put(DataTypes.BooleanType, "BOOLEAN");
    expected.put(DataTypes.DateType, "DATE");
    expected.put(DataTypes.TimestampType, "TIMESTAMPTZ");
    expected.put(DataTypes.TimestampNTZType, "TIMESTAMP");
    expected.put(DataTypes.BinaryType, "VARBYTE(1024000)");
    expected.put(DataTypes.createArrayType(DataTypes.StringType), "SUPER");
    expected.put(DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), "SUPER");
    expected.put(
        DataTypes.createStructType(
            List.of(DataTypes.createStructField("a", DataTypes.IntegerType, true))),
        "SUPER");
    expected.put(DataTypes.NullType, "VARCHAR(1024)");
    Map<DataType, String> actual = new LinkedHashMap<>();
    expected.keySet().forEach(t -> actual.put(t, RsTypes.sqlType(t)));
    assertThat(actual).as("Spark type -> Redshift type").containsExactlyEntriesOf(expected);
    assertThatThrownBy(() -> RsTypes.sqlType(DataTypes.CalendarIntervalType))
        .hasMessageContaining("Cannot store Spark type interval in Redshift");
    // log columns: long text where it can be long, short text for keys and statuses
    assertThat(RsTypes.column("fields", DataTypes.StringType)).isEqualTo("VARCHAR(65535)");
    assertThat(RsTypes.column("error", DataTypes.StringType)).isEqualTo("VARCHAR(65535)");
    assertThat(RsTypes.column("row_id", DataTypes.StringType)).isEqualTo("VARCHAR(1024)");
  }

  @Test
  void missingSettingsAreReportedAllAtOnce() {
    Throwable t =
        catchThrowable(() -> RsTarget.from(config(Map.of("target.kind", "redshift"), Map.of())));
    assertThat(t).isInstanceOf(SyncLogException.class);
    assertThat(((SyncLogException) t).code()).isEqualTo("INVALID_TARGET");
    assertThat(t.getMessage())
        .contains(
            "'target.jdbc-url' is required",
            "'target.user' is required",
            "'target.password' is required",
            "'target.temp-dir' is required",
            "'target.iam-role' is required");

    Map<String, String> bad = settings();
    bad.put("target.jdbc-url", "jdbc:mysql://h/db");
    bad.put("target.temp-dir", "/tmp/local");
    bad.put("target.iam-role", "synclog-copy");
    Throwable t2 =
        catchThrowable(() -> RsTarget.from(config(bad, Map.of("target.password", PASSWORD))));
    assertThat(t2.getMessage())
        .contains(
            "jdbc:redshift: or jdbc:postgresql:", "'/tmp/local'; expected s3://", "'synclog-copy'")
        .doesNotContain(PASSWORD);

    Map<String, String> iam = settings();
    iam.remove("target.user");
    iam.put("target.jdbc-url", "jdbc:redshift:iam://example:5439/dev");
    assertThat(RsTarget.from(config(iam, Map.of())).describe()).isEqualTo("example:5439/dev");
  }

  @Test
  void theExampleConfigurationIsAValidRedshiftTarget() throws java.io.IOException {
    java.util.Properties p = new java.util.Properties();
    try (java.io.Reader r =
        java.nio.file.Files.newBufferedReader(
            java.nio.file.Path.of("conf/redshift.example.properties"))) {
      p.load(r);
    }
    Map<String, String> m = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    RsTarget target = RsTarget.from(config(m, Map.of("target.password", PASSWORD)));
    assertThat(target.connectorOptions(null))
        .containsEntry("tempdir", "s3://my-bucket/synclog/redshift-temp/")
        .containsEntry("aws_iam_role", "arn:aws:iam::123456789012:role/redshift-synclog-copy")
        .doesNotContainKey("dbtable");
  }

  @Test
  void thePasswordIsNeverPrinted() {
    RsTarget target = target();
    assertThat(target.toString()).doesNotContain(PASSWORD).contains("5439/dev");
    assertThat(target.describe())
        .isEqualTo("example.abc123.eu-west-1.redshift.amazonaws.com:5439/dev");
    SQLException echoed = new SQLException("login failed for synclog/" + PASSWORD);
    assertThat(target.scrub(echoed).getMessage()).doesNotContain(PASSWORD).contains("****");
    assertThat(target.scrub(new RuntimeException("x " + PASSWORD)).getMessage())
        .doesNotContain(PASSWORD);
    // nothing listens on port 9: connecting fails, and the message has no password in it
    Map<String, String> local = settings();
    local.put("target.jdbc-url", "jdbc:postgresql://127.0.0.1:9/dev?connectTimeout=2");
    RsTarget unreachable = RsTarget.from(config(local, Map.of("target.password", PASSWORD)));
    Throwable t = catchThrowable(unreachable::connect);
    assertThat(t).isInstanceOf(SyncLogException.class);
    assertThat(t.getMessage()).contains("127.0.0.1:9/dev").doesNotContain(PASSWORD);
    assertThat(Arrays.toString(t.getStackTrace()) + t.getCause()).doesNotContain(PASSWORD);
    // without the Redshift JDBC driver (the cluster supplies it), the error says so
    Throwable noDriver = catchThrowable(target::connect);
    assertThat(noDriver.getMessage())
        .contains("com.amazon.redshift.jdbc42.Driver is not on the classpath")
        .doesNotContain(PASSWORD);
  }
}
