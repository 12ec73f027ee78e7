package io.synclog.sink.delta;

import static io.synclog.sink.PruneScope.ALL_SYNCS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.error.SyncLogException;
import io.synclog.log.LogTables;
import io.synclog.log.SyncRun;
import io.synclog.sink.PruneScope;
import io.synclog.sink.Sinks;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The names, layouts and statements of the Delta sink, as text, without Spark. */
class DeltaStatementsTest {
  private static final Map<String, String> PHYSICAL =
      Map.of("changelog", "sync_changelog", "snapshot", "sync_snapshot", "runs", "_synclog_runs");

  @Test
  void namesAreQuotedPerPartWithOrWithoutACatalog() {
    CatalogNames uc = new CatalogNames("main-prod", "sync_audit", PHYSICAL);
    assertThat(uc.sql("snapshot")).isEqualTo("`main-prod`.`sync_audit`.`sync_snapshot`");
    assertThat(uc.display("runs")).isEqualTo("main-prod.sync_audit._synclog_runs");
    assertThat(uc.sql("_synclog_locks")).isEqualTo("`main-prod`.`sync_audit`.`_synclog_locks`");
    CatalogNames current = new CatalogNames(null, "sync_audit", PHYSICAL);
    assertThat(current.sql("changelog")).isEqualTo("`sync_audit`.`sync_changelog`");
    assertThat(current.schemaDisplay()).isEqualTo("sync_audit");
    assertThat(DeltaStatements.quote("a`b")).isEqualTo("`a``b`");
  }

  @Test
  void catalogNamesThatCouldBreakOutOfTheQuotesAreRefused() {
    assertThat(CatalogNames.problems(null)).isEmpty();
    assertThat(CatalogNames.problems("main")).isEmpty();
    assertThat(CatalogNames.problems("dev-catalog_2")).isEmpty();
    for (String bad : List.of("a.b", "a`b", "a b", "", "-x", "x;drop")) {
      assertThat(CatalogNames.problems(bad))
          .as(bad)
          .singleElement()
          .asString()
          .contains("'target.catalog' is '" + bad + "'");
    }
    Map<String, String> settings =
        Map.of("target.kind", "databricks", "target.catalog", "a.b", "target.schema", "s");
    SyncConfig config =
        SyncConfig.resolve(
            new ConfigSources(Map.of(), Map.of(), Map.of(), settings), SyncConfig.Need.TARGET);
    assertThatThrownBy(() -> Sinks.open(null, config))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("target.kind=databricks cannot start")
        .hasMessageContaining("'target.catalog' is 'a.b'")
        .extracting(e -> ((SyncLogException) e).code())
        .isEqualTo("INVALID_TARGET");
  }

  @Test
  void theExampleConfigAndTheJobsSparkConfChooseTheDatabricksTarget() throws Exception {
    Map<String, String> file =
        ConfigSources.readFile(java.nio.file.Path.of("conf/databricks.example.properties"));
    SyncConfig config =
        SyncConfig.resolve(
            new ConfigSources(file, Map.of(), Map.of(), Map.of("run.id", "r1")),
            SyncConfig.Need.RUN);
    assertThat(config.targetKind()).isEqualTo("databricks");
    assertThat(config.get(io.synclog.config.ConfigKeys.TARGET_CATALOG)).isEqualTo("main");
    assertThat(config.schema()).isEqualTo("sync_audit");

    var job =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(java.nio.file.Path.of("jobs/databricks/job.json").toFile());
    Map<String, String> sparkConf = new java.util.HashMap<>();
    job.at("/job_clusters/0/new_cluster/spark_conf")
        .fields()
        .forEachRemaining(e -> sparkConf.put(e.getKey(), e.getValue().asText()));
    SyncConfig fromCluster =
        SyncConfig.resolve(
            new ConfigSources(Map.of(), ConfigSources.fromSparkConf(sparkConf), Map.of(), Map.of()),
            SyncConfig.Need.TARGET);
    assertThat(fromCluster.targetKind()).isEqualTo("databricks");
    assertThat(fromCluster.get(io.synclog.config.ConfigKeys.TARGET_CATALOG)).isEqualTo("main");
  }

  @Test
  void layoutsPartitionByDefaultAndClusterOnRequestButLocksStayPartitioned() {
    DeltaFeatures plain = DeltaFeatures.NONE;
    DeltaFeatures liquid = new DeltaFeatures(true, false);
    Map<String, String> expected =
        Map.of(
            "changelog",
            "partitioned [run_date] | clustered [run_date, sync_id]",
            "snapshot",
            "partitioned [sync_id] | clustered [sync_id]",
            "runs",
            "partitioned [] | clustered [sync_id]",
            LogTables.PLANS,
            "partitioned [sync_id] | partitioned [sync_id]",
            "_synclog_locks",
            "partitioned [sync_id] | partitioned [sync_id]");
    expected.forEach(
        (table, layouts) ->
            assertThat(describe(plain.layout(table)) + " | " + describe(liquid.layout(table)))
                .as(table)
                .isEqualTo(layouts));
    assertThatThrownBy(() -> plain.layout("nope")).isInstanceOf(IllegalArgumentException.class);
  }

  private static String describe(DeltaFeatures.Layout layout) {
    return (layout.clustered() ? "clustered " : "partitioned ") + layout.columns();
  }

  @Test
  void createTableCarriesLayoutAndProperties() {
    StructType schema =
        new StructType()
            .add("sync_id", DataTypes.StringType)
            .add("run_date", DataTypes.DateType, false);
    DeltaFeatures both = new DeltaFeatures(true, true);
    assertThat(
            DeltaStatements.createTable(
                "`c`.`s`.`sync_snapshot`",
                schema,
                both.layout("snapshot"),
                both.properties("snapshot")))
        .isEqualTo(
            "CREATE TABLE IF NOT EXISTS `c`.`s`.`sync_snapshot` (sync_id STRING,run_date DATE NOT"
                + " NULL) USING DELTA CLUSTER BY (`sync_id`) TBLPROPERTIES"
                + " ('delta.setTransactionRetentionDuration' = 'interval 30 days',"
                + " 'delta.enableChangeDataFeed' = 'true')");
    assertThat(
            DeltaStatements.createTable(
                "delta.`/w/s/sync_changelog`",
                schema,
                DeltaFeatures.NONE.layout("changelog"),
                DeltaFeatures.NONE.properties("changelog")))
        .isEqualTo(
            "CREATE TABLE IF NOT EXISTS delta.`/w/s/sync_changelog` (sync_id STRING,run_date DATE"
                + " NOT NULL) USING DELTA PARTITIONED BY (`run_date`) TBLPROPERTIES"
                + " ('delta.setTransactionRetentionDuration' = 'interval 30 days')");
    assertThat(
            DeltaStatements.createTable(
                "t",
                schema,
                DeltaFeatures.NONE.layout("runs"),
                DeltaFeatures.NONE.properties("runs")))
        .isEqualTo(
            "CREATE TABLE IF NOT EXISTS t (sync_id STRING,run_date DATE NOT NULL) USING DELTA");
    assertThat(new DeltaFeatures(false, true).properties("changelog"))
        .doesNotContainKey("delta.enableChangeDataFeed");
  }

  @Test
  void lockStatementsQuoteEveryValueAndStayInTheSyncsPartition() {
    String claim =
        DeltaStatements.claim(
            "L",
            new SyncRun("s'1", "r\\1"),
            "recording",
            7,
            Instant.parse("2026-03-01T10:00:00.123456Z"),
            Instant.parse("1970-01-01T00:00:01Z"));
    assertThat(claim)
        .isEqualTo(
            "MERGE INTO L t USING (SELECT 's\\'1' AS sync_id, 'r\\\\1' AS sync_run_id, 'recording'"
                + " AS phase, CAST(7 AS BIGINT) AS base_version,"
                + " timestamp_micros(1772359200123456) AS started_at, timestamp_micros(1000000) AS"
                + " claimed_at, CAST(NULL AS STRING) AS model_schema) s ON t.sync_id = 's\\'1' AND"
                + " t.sync_id = s.sync_id WHEN NOT MATCHED THEN INSERT *");
    assertThat(DeltaStatements.markPlanned("L", new SyncRun("s", "r"), "planned", "id:string"))
        .isEqualTo(
            "UPDATE L SET phase = 'planned', model_schema = 'id:string' WHERE sync_id = 's' AND"
                + " sync_run_id = 'r'");
    assertThat(DeltaStatements.syncAsOf("T", 3, "s"))
        .isEqualTo("SELECT * FROM T VERSION AS OF 3 WHERE sync_id = 's'");
    assertThat(DeltaStatements.changelogBefore(Instant.parse("2026-03-02T23:59:00Z")))
        .isEqualTo("run_date < '2026-03-02'");
    assertThat(DeltaStatements.pruneRuns("R", Instant.parse("1970-01-01T00:00:00Z"), ALL_SYNCS))
        .contains("FROM R) WHERE newest > 1 AND started_at < timestamp_micros(0)")
        .contains(") s ON t.sync_id = s.sync_id AND t.sync_run_id = s.sync_run_id")
        .endsWith("WHEN MATCHED THEN DELETE");
  }

  @Test
  void pruningOneSyncNamesItInTheRunsMergeAndTheChangelogDeletes() {
    Instant cutoff = Instant.parse("2026-03-03T12:00:00Z");
    assertThat(DeltaStatements.pruneRuns("R", cutoff, PruneScope.sync("s'1")))
        .isEqualTo(
            "MERGE INTO R t USING (SELECT sync_id, sync_run_id FROM (SELECT sync_id, sync_run_id,"
                + " started_at, row_number() OVER (PARTITION BY sync_id ORDER BY started_at DESC,"
                + " recorded_at DESC) AS newest FROM R WHERE sync_id = 's\\'1') WHERE newest > 1"
                + " AND started_at < timestamp_micros(1772539200000000)) s ON t.sync_id = 's\\'1'"
                + " AND t.sync_id = s.sync_id AND t.sync_run_id = s.sync_run_id WHEN MATCHED THEN"
                + " DELETE");
    // the sync's latest run started before the cutoff's date: its day is deleted without its rows
    assertThat(
            DeltaStatements.pruneChangelog(
                cutoff,
                PruneScope.sync("s'1"),
                Map.of(new SyncRun("s'1", "r2"), LocalDate.parse("2026-03-02"))))
        .containsExactly(
            "run_date < '2026-03-03' AND sync_id = 's\\'1' AND run_date NOT IN (DATE"
                + " '2026-03-02')",
            "run_date IN (DATE '2026-03-02') AND sync_id = 's\\'1' AND (sync_id, sync_run_id)"
                + " NOT IN (('s\\'1', 'r2'))");
    // no run older than the cutoff was kept: one delete
    assertThat(DeltaStatements.pruneChangelog(cutoff, PruneScope.sync("a"), Map.of()))
        .containsExactly("run_date < '2026-03-03' AND sync_id = 'a'");
  }

  @Test
  void pruningEverySyncDropsTheDatesWithoutAKeptRunOnTheirPartitionAlone() {
    Instant cutoff = Instant.parse("2026-03-03T12:00:00Z");
    Map<SyncRun, LocalDate> kept = new LinkedHashMap<>();
    kept.put(new SyncRun("b", "q1"), LocalDate.parse("2026-03-01"));
    kept.put(new SyncRun("a", "r2"), LocalDate.parse("2026-03-02"));
    kept.put(new SyncRun("c", "t1"), LocalDate.parse("2026-03-01"));
    // a run kept on the cutoff's own date has no rows before it: nothing to leave out
    kept.put(new SyncRun("d", "u9"), LocalDate.parse("2026-03-03"));
    List<String> predicates = DeltaStatements.pruneChangelog(cutoff, ALL_SYNCS, kept);
    assertThat(predicates)
        .containsExactly(
            "run_date < '2026-03-03' AND run_date NOT IN (DATE '2026-03-01', DATE '2026-03-02')",
            "run_date IN (DATE '2026-03-01', DATE '2026-03-02') AND (sync_id, sync_run_id) NOT IN"
                + " (('a', 'r2'), ('b', 'q1'), ('c', 't1'))");
    assertThat(predicates.get(0))
        .as("the first delete names only the partition column, so Delta drops whole files")
        .doesNotContain("sync_id");
    assertThat(DeltaStatements.pruneChangelog(cutoff, ALL_SYNCS, Map.of()))
        .containsExactly(DeltaStatements.changelogBefore(cutoff));
  }
}
