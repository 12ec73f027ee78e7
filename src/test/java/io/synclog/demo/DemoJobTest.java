package io.synclog.demo;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.error.SyncLogException;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole demo once, at 2,000 customers, and checks the tables it leaves and the answers it
 * prints against what the tables and its own inputs say.
 */
@ExtendWith(SparkExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoJobTest {
  private static final int CUSTOMERS = 2_000;
  private static final String[] OPS = {"add", "change", "remove"};
  private static final String RUN_NUMBER = "CAST(substring(sync_run_id, 5) AS INT)";

  @TempDir static Path dir;

  private final SparkSession spark = SparkExtension.spark();
  private DemoJob demo;
  private String output;
  private Instant startedTest;

  @BeforeAll
  void runDemo() {
    startedTest = Instant.now();
    SyncConfig config = config(dir.resolve("wh"));
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    demo =
        new DemoJob(
            spark, config, new PrintStream(buffer, true, StandardCharsets.UTF_8), CUSTOMERS);
    demo.run();
    output = buffer.toString(StandardCharsets.UTF_8);
    System.out.println(output);
  }

  private static SyncConfig config(Path location) {
    return SyncConfig.resolve(
        ConfigSources.ofCommandLine(Map.of("target.location", location.toString())),
        SyncConfig.Need.TARGET);
  }

  private Dataset<Row> table(String name) {
    return spark.read().format("delta").load(demo.root() + "/" + name);
  }

  private Dataset<Row> lastModel() {
    DemoRun last = DemoRun.ALL.get(DemoRun.ALL.size() - 1);
    return spark.read().parquet(demo.input(last, "model").toString());
  }

  private static long count(Dataset<Row> rows, String where) {
    return rows.where(where).count();
  }

  @Test
  void everyRunIsRecordedWithCountsThatAddUp() {
    Dataset<Row> runs = table("sync_runs");
    assertThat(Rows.lines(runs, "sync_run_id", "sync_id", "model_name", "destination"))
        .containsExactly(
            "run-0001|demo-customers|customers|Salesforce",
            "run-0002|demo-customers|customers|Salesforce",
            "run-0003|demo-customers|customers|Salesforce",
            "run-0004|demo-customers|customers|Salesforce");
    Map<String, Long> logged = new HashMap<>();
    table("sync_changelog")
        .groupBy("sync_run_id", "op_type", "status")
        .count()
        .collectAsList()
        .forEach(
            r ->
                logged.put(
                    r.getString(0) + " " + r.getString(1) + " " + r.getString(2), r.getLong(3)));
    for (Row run : runs.collectAsList()) {
      String runId = run.getAs("sync_run_id");
      for (String op : OPS) {
        String opType = op.equals("add") ? "added" : op.equals("change") ? "changed" : "removed";
        long planned = run.getAs("num_planned_" + op);
        long attempted = run.getAs("num_attempted_" + op);
        long succeeded = run.getAs("num_succeeded_" + op);
        long failed = run.getAs("num_failed_" + op);
        String key = runId + " " + opType + " ";
        long aborted = logged.getOrDefault(key + "aborted", 0L);
        String what = runId + " " + op;
        assertThat(planned).as(what + " planned").isEqualTo(attempted + aborted);
        assertThat(attempted).as(what + " attempted").isEqualTo(succeeded + failed);
        assertThat(succeeded).as(what).isEqualTo(logged.getOrDefault(key + "succeeded", 0L));
        assertThat(failed).as(what).isEqualTo(logged.getOrDefault(key + "failed", 0L));
      }
    }
    assertThat(count(runs, "num_planned_add > 0")).isEqualTo(4);
    assertThat(count(runs, "num_planned_change > 0")).isEqualTo(3);
    assertThat(count(runs, "num_planned_remove > 0")).isEqualTo(3);
  }

  @Test
  void runsAreADayApartAndTheLastEndsNow() {
    List<Row> runs = table("sync_runs").orderBy("started_at").collectAsList();
    for (int i = 1; i < runs.size(); i++) {
      Instant before = runs.get(i - 1).<Timestamp>getAs("finished_at").toInstant();
      Instant after = runs.get(i).<Timestamp>getAs("finished_at").toInstant();
      assertThat(Duration.between(before, after)).isEqualTo(Duration.ofDays(1));
      assertThat(runs.get(i).<Timestamp>getAs("started_at").toInstant()).isBefore(after);
    }
    Instant lastFinished = runs.get(runs.size() - 1).<Timestamp>getAs("finished_at").toInstant();
    assertThat(lastFinished).isBetween(startedTest.minusSeconds(1), Instant.now());
  }

  @Test
  void theDestinationsFailuresAreLoggedWithTheirReasons() {
    Dataset<Row> failed = table("sync_changelog").where("status = 'failed'");
    List<String> reasons = Rows.lines(failed.select("failed_reason").distinct(), "failed_reason");
    assertThat(reasons)
        .contains(
            SimulatedDestination.INVALID_EMAIL,
            SimulatedDestination.ENTITY_IS_LOCKED,
            SimulatedDestination.MISSING_LAST_NAME);
    assertThat(reasons).anyMatch(r -> r.startsWith("duplicate primary key: 2 model rows have id"));
    assertThat(count(failed, "failed_reason IS NULL")).isZero();
    // The destination rejects exactly the malformed emails the model holds.
    assertThat(
            count(
                failed.where("failed_reason = '" + SimulatedDestination.INVALID_EMAIL + "'"),
                "get_json_object(fields, '$.email') RLIKE '"
                    + SimulatedDestination.EMAIL_PATTERN.replace("\\", "\\\\")
                    + "'"))
        .isZero();
    assertThat(count(failed, "failed_reason LIKE 'ENTITY_IS_LOCKED%' AND op_type != 'changed'"))
        .isZero();
  }

  @Test
  void theCutShortRunFailedWithItsErrorAndAbortedTheRest() {
    Dataset<Row> runs = table("sync_runs");
    assertThat(Rows.lines(runs.where("status = 'failed'"), "sync_run_id", "error"))
        .containsExactly("run-0003|destination rate limit exceeded; run cancelled");
    assertThat(count(runs, "status = 'succeeded' AND error IS NULL")).isEqualTo(3);
    Dataset<Row> changelog = table("sync_changelog");
    Dataset<Row> aborted = changelog.where("status = 'aborted'");
    assertThat(Rows.lines(aborted.select("sync_run_id").distinct())).containsExactly("run-0003");
    long planned = count(changelog, "sync_run_id = 'run-0003'");
    assertThat(aborted.count()).isBetween(planned / 4, planned * 3 / 4);
  }

  @Test
  void failedAndAbortedRowsAreRetriedAndMostlyRecover() {
    Dataset<Row> changelog = table("sync_changelog").withColumn("run", expr(RUN_NUMBER));
    Dataset<Row> unsent =
        changelog.where(
            "status IN ('failed', 'aborted') AND coalesce(failed_reason, '') NOT LIKE 'duplicate%'");
    Dataset<Row> next =
        changelog.selectExpr("row_id AS next_row", "run - 1 AS next_of", "status AS next_status");
    Dataset<Row> retried =
        unsent.join(
            next, col("row_id").equalTo(col("next_row")).and(col("run").equalTo(col("next_of"))));
    assertThat(count(retried, "status = 'aborted' AND next_status = 'succeeded'")).isPositive();
    for (String reason :
        List.of(SimulatedDestination.ENTITY_IS_LOCKED, SimulatedDestination.INVALID_EMAIL)) {
      assertThat(count(retried, "failed_reason = '" + reason + "' AND next_status = 'succeeded'"))
          .as(reason)
          .isPositive();
    }
    // Every row the last run but one did not sync, and still in the model, is planned again.
    int last = DemoRun.ALL.size();
    Dataset<Row> stillInModel =
        unsent
            .where(col("run").equalTo(last - 1))
            .join(
                lastModel().selectExpr("CAST(id AS STRING) AS model_id"),
                col("row_id").equalTo(col("model_id")),
                "left_semi");
    assertThat(stillInModel.count()).isPositive();
    Dataset<Row> lastRun = changelog.where(col("run").equalTo(last)).select("row_id");
    assertThat(stillInModel.join(lastRun, "row_id", "left_anti").count()).isZero();
  }

  @Test
  void theSnapshotHoldsEachValidIdOfTheLastModelOnce() {
    Dataset<Row> validIds =
        lastModel()
            .where("id IS NOT NULL")
            .groupBy("id")
            .count()
            .where("count = 1")
            .selectExpr("CAST(id AS STRING) AS row_id");
    Dataset<Row> snapshot = table("sync_snapshot");
    assertThat(snapshot.count()).isEqualTo(validIds.count()).isGreaterThan(CUSTOMERS);
    assertThat(snapshot.select("row_id").distinct().count()).isEqualTo(snapshot.count());
    assertThat(snapshot.select("row_id").except(validIds).count()).isZero();
    assertThat(Rows.lines(snapshot.select("sync_id").distinct())).containsExactly("demo-customers");
  }

  @Test
  void theModelIsDeterministic() {
    CustomerModel model = new CustomerModel(CUSTOMERS);
    Dataset<Row> once = model.atRun(spark, 3);
    Dataset<Row> again = model.atRun(spark, 3).repartition(3);
    assertThat(once.count()).isEqualTo(again.count());
    assertThat(once.exceptAll(again).count()).isZero();
    assertThat(once.where("email NOT RLIKE '@[a-z-]+\\\\.[a-z]+$'").count()).isPositive();
  }

  @Test
  void mostCommonErrorsCountTheSnapshotsFailures() {
    Map<String, Long> expected = new HashMap<>();
    table("sync_snapshot")
        .where("failed_reason IS NOT NULL")
        .groupBy("failed_reason")
        .count()
        .collectAsList()
        .forEach(r -> expected.put(r.getString(0), r.getLong(1)));
    List<Row> answer = answers().answer(ExampleQueries.MOST_COMMON_ERRORS).collectAsList();
    Map<String, Long> actual = new HashMap<>();
    answer.forEach(r -> actual.put(r.getString(0), r.getLong(1)));
    assertThat(actual).isEqualTo(expected).containsKey(SimulatedDestination.INVALID_EMAIL);
    List<Long> counts = answer.stream().map(r -> r.getLong(1)).toList();
    assertThat(counts).isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  void entriesAndExitsAlternateAndHappenAtTheRunsStart() {
    List<Row> events = answers().answer(ExampleQueries.ENTRIES_AND_EXITS).collectAsList();
    assertThat(events).isNotEmpty();
    Map<String, List<Row>> byUser = new HashMap<>();
    events.forEach(e -> byUser.computeIfAbsent(e.getString(0), k -> new ArrayList<>()).add(e));
    for (List<Row> history : byUser.values()) {
      assertThat(history.get(0).getString(2)).as("first event %s", history).isEqualTo("added");
      for (int i = 1; i < history.size(); i++) {
        assertThat(history.get(i).getString(2)).isNotEqualTo(history.get(i - 1).getString(2));
      }
    }
    assertThat(events).allMatch(e -> e.getString(1).equals("customers"));
    Dataset<Row> changelog = table("sync_changelog");
    long leavers = changelog.where("op_type = 'removed'").select("row_id").distinct().count();
    assertThat(events.stream().filter(e -> e.getString(2).equals("removed")).count())
        .isEqualTo(leavers)
        .isPositive();
    List<String> starts = Rows.lines(table("sync_runs"), "started_at");
    assertThat(events).allMatch(e -> starts.contains(String.valueOf(e.get(3))));

    List<Row> perDay = answers().answer(ExampleQueries.ENTRIES_AND_EXITS_PER_DAY).collectAsList();
    assertThat(perDay.stream().map(r -> r.get(1)).distinct().count()).isEqualTo(4);
    assertThat(perDay.stream().mapToLong(r -> r.getLong(3)).sum()).isEqualTo(events.size());

    List<Row> sample = answers().answer(ExampleQueries.ENTRIES_AND_EXITS_SAMPLE).collectAsList();
    assertThat(sample).isNotEmpty().allMatch(events::contains);
    assertThat(sample.stream().filter(r -> r.getString(2).equals("removed")).count()).isEqualTo(10);
  }

  @Test
  void currentRowsAreTheSnapshotsRowsThatDidNotFailAndDidNotLeave() {
    List<Row> current = answers().answer(ExampleQueries.CURRENT_ROWS).collectAsList();
    Dataset<Row> snapshot = table("sync_snapshot");
    // A row waiting for its removal has left the model: it is not current.
    assertThat((long) current.size())
        .isEqualTo(count(snapshot, "status != 'failed' AND op_type != 'removed'"));
    assertThat(current).allMatch(r -> r.getString(0).equals("customers"));
    assertThat(current.stream().map(r -> r.getString(1)).distinct().count())
        .isEqualTo(current.size());
    assertThat(Rows.lines(answers().answer(ExampleQueries.CURRENT_ROWS_PER_MODEL)))
        .containsExactly("customers|" + current.size());
    assertThat(current.size()).isLessThan((int) snapshot.count()).isGreaterThan(CUSTOMERS / 2);
  }

  @Test
  void printsEachRunAndEachAnswer() {
    for (DemoRun run : DemoRun.ALL) {
      assertThat(output)
          .contains("synclog: sync 'demo-customers' run '" + run.runId() + "' recorded");
    }
    assertThat(output)
        .contains("1. What are the most common sync errors?")
        .contains("2. When did customers enter and exit the model?")
        .contains("3. What are the current rows in all models?")
        .contains(SimulatedDestination.INVALID_EMAIL)
        .contains("then stopped: destination rate limit exceeded; run cancelled");
  }

  @Test
  void refusesToWipeASchemaHoldingOtherSyncs(@TempDir Path other) throws Exception {
    Path runs = other.resolve("sync_audit/sync_runs");
    spark.sql("SELECT 'crm-accounts' AS sync_id").write().format("delta").save(runs.toString());
    DemoJob job = new DemoJob(spark, config(other), new PrintStream(new ByteArrayOutputStream()));
    assertThatThrownBy(job::run)
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("crm-accounts")
        .hasMessageContaining("target.schema");
    assertThat(Files.exists(runs)).isTrue();
  }

  @Test
  void exampleQueriesCanBePointedAtOtherTables() {
    String sql =
        ExampleQueries.over(
            ExampleQueries.CURRENT_ROWS,
            Map.of("sync_snapshot", "delta.`/a/sync_snapshot`", "sync_runs", "audit.runs"));
    assertThat(sql)
        .contains("FROM delta.`/a/sync_snapshot` s")
        .contains("FROM audit.runs")
        .doesNotContain("FROM sync_runs");
    assertThat(ExampleQueries.deltaPath("/x/a`b")).isEqualTo("delta.`/x/a``b`");
  }

  private ExampleAnswers answers() {
    return new ExampleAnswers(spark, demo.tables());
  }

  private static org.apache.spark.sql.Column expr(String sql) {
    return org.apache.spark.sql.functions.expr(sql);
  }
}
