package io.synclog.sink.delta.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.config.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code target.kind=databricks} on a real workspace: the synclog jar (built by {@code mvn
 * package}) runs as a JAR task on an existing cluster, records runs of one sync into a fresh schema
 * of the volume's Unity Catalog catalog, is interrupted at a write boundary and rerun, and the
 * tables are read back through a SQL warehouse. The schema is dropped afterwards.
 *
 * <p>Needs {@code DATABRICKS_HOST}, {@code DATABRICKS_TOKEN} (a personal access token), {@code
 * DATABRICKS_CLUSTER_ID} (a cluster on Databricks Runtime 13.3 LTS or later, any access mode that
 * runs JAR tasks), {@code DATABRICKS_WAREHOUSE_ID} (a SQL warehouse) and {@code SYNCLOG_IT_VOLUME}
 * (a writable volume, {@code /Volumes/<catalog>/<schema>/<volume>}; its catalog receives the test
 * schema, so the token's user needs CREATE SCHEMA there).
 */
class DatabricksSinkIT {
  private static final List<String> VARIABLES =
      List.of(
          "DATABRICKS_HOST",
          "DATABRICKS_TOKEN",
          "DATABRICKS_CLUSTER_ID",
          "DATABRICKS_WAREHOUSE_ID",
          "SYNCLOG_IT_VOLUME");
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(20);

  private static DatabricksApi api;
  private static String folder;
  private static String catalog;
  private static String schema;

  /** Checks the variables before anything starts: without them the test is reported skipped. */
  @BeforeEach
  void connect() {
    List<String> missing =
        VARIABLES.stream()
            .filter(v -> System.getenv(v) == null || System.getenv(v).isBlank())
            .toList();
    Assumptions.assumeTrue(
        missing.isEmpty(),
        "set DATABRICKS_HOST, DATABRICKS_TOKEN, DATABRICKS_CLUSTER_ID, DATABRICKS_WAREHOUSE_ID and"
            + " SYNCLOG_IT_VOLUME to run (missing: "
            + missing
            + ")");
    String volume = System.getenv("SYNCLOG_IT_VOLUME").replaceAll("/+$", "");
    String[] parts = volume.split("/");
    assertThat(parts)
        .as("SYNCLOG_IT_VOLUME is /Volumes/<catalog>/<schema>/<volume>")
        .hasSizeGreaterThanOrEqualTo(5);
    catalog = parts[2];
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    schema = "synclog_it_" + id;
    folder = volume + "/synclog_it_" + id;
    api =
        new DatabricksApi(
            System.getenv("DATABRICKS_HOST"), Secret.of(System.getenv("DATABRICKS_TOKEN")));
  }

  @AfterAll
  static void dropSchema() {
    if (api != null) {
      sql("DROP SCHEMA IF EXISTS `" + catalog + "`.`" + schema + "` CASCADE");
    }
  }

  private static List<List<String>> sql(String statement) {
    return api.sql(System.getenv("DATABRICKS_WAREHOUSE_ID"), statement);
  }

  private static String table(String name) {
    return "`" + catalog + "`.`" + schema + "`.`" + name + "`";
  }

  private static String config() {
    return String.join(
        "\n",
        "sync.id=it-sync",
        "sync.destination=Salesforce",
        "model.id=m-it",
        "model.name=it model",
        "model.primary-key=id",
        "statuses.format=json",
        "target.kind=databricks",
        "target.catalog=" + catalog,
        "target.schema=" + schema,
        "target.change-data-feed=true",
        "");
  }

  private static String statuses(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  private String record(String runId, String modelQuery, String... extra) throws Exception {
    List<String> parameters =
        new ArrayList<>(
            List.of(
                "record",
                "--config",
                folder + "/it.properties",
                "--run.id",
                runId,
                "--model.query",
                modelQuery,
                "--statuses.path",
                folder + "/statuses/" + runId + ".json"));
    parameters.addAll(List.of(extra));
    long run =
        api.submitJarRun(
            System.getenv("DATABRICKS_CLUSTER_ID"), folder + "/synclog.jar", parameters);
    return api.await(run, RUN_TIMEOUT);
  }

  private static long count(String sql) {
    return Long.parseLong(sql(sql).get(0).get(0));
  }

  @Test
  void recordsRerunsAndRecoversOnAWorkspace() throws Exception {
    Path jar = Path.of("target/synclog.jar");
    assertThat(jar).as("build the jar first: mvn package").exists();
    api.upload(folder + "/synclog.jar", Files.readAllBytes(jar));
    api.upload(folder + "/it.properties", config().getBytes(StandardCharsets.UTF_8));
    api.upload(
        folder + "/statuses/r1.json",
        statuses(
                "{\"row_id\":\"1\",\"status\":\"succeeded\"}",
                "{\"row_id\":\"2\",\"status\":\"failed\",\"failed_reason\":\"invalid email\"}",
                "{\"row_id\":\"3\",\"status\":\"succeeded\"}")
            .getBytes(StandardCharsets.UTF_8));
    api.upload(
        folder + "/statuses/r2.json",
        statuses(
                "{\"row_id\":\"1\",\"status\":\"succeeded\",\"failed_reason\":null}",
                "{\"row_id\":\"2\",\"status\":\"succeeded\",\"failed_reason\":null}",
                "{\"row_id\":\"3\",\"status\":\"succeeded\",\"failed_reason\":null}",
                "{\"row_id\":\"4\",\"status\":\"succeeded\",\"failed_reason\":null}")
            .getBytes(StandardCharsets.UTF_8));
    String model1 = "SELECT * FROM VALUES (1, 'a@x'), (2, 'b@x'), (3, 'c@x') AS m(id, email)";
    String model2 = "SELECT * FROM VALUES (1, 'a2@x'), (2, 'b@x'), (4, 'd@x') AS m(id, email)";

    assertThat(record("r1", model1)).isEqualTo("SUCCESS");
    assertThat(record("r1", model1)).as("a rerun of a recorded run").isEqualTo("SUCCESS");
    assertThat(count("SELECT count(*) FROM " + table("sync_changelog"))).isEqualTo(3);

    assertThat(record("r2", model2, "--fault.inject-at", "after-changelog"))
        .as("a run interrupted after its changelog commit")
        .isEqualTo("FAILED");
    assertThat(record("r2", model2)).isEqualTo("SUCCESS");

    assertThat(
            sql(
                "SELECT sync_run_id, count(*) FROM "
                    + table("sync_changelog")
                    + " GROUP BY sync_run_id ORDER BY sync_run_id"))
        .as("r2: 1 changed, 2 retried as added, 3 removed, 4 added")
        .containsExactly(List.of("r1", "3"), List.of("r2", "4"));
    assertThat(
            sql(
                "SELECT row_id, op_type, status FROM "
                    + table("sync_snapshot")
                    + " ORDER BY row_id"))
        .containsExactly(
            List.of("1", "changed", "succeeded"),
            List.of("2", "added", "succeeded"),
            List.of("4", "added", "succeeded"));
    assertThat(
            sql("SELECT sync_run_id, status FROM " + table("sync_runs") + " ORDER BY sync_run_id"))
        .containsExactly(List.of("r1", "succeeded"), List.of("r2", "succeeded"));
    assertThat(count("SELECT count(*) FROM " + table("_synclog_locks"))).isZero();
    assertThat(
            count(
                "SELECT count(*) FROM table_changes('"
                    + catalog
                    + "."
                    + schema
                    + ".sync_snapshot', 0)"))
        .as("the snapshot's change data feed")
        .isPositive();
    Stream.of("sync_changelog", "sync_snapshot", "sync_runs")
        .forEach(
            t ->
                assertThat(sql("DESCRIBE DETAIL " + table(t)).get(0))
                    .as(t + " is a Delta table")
                    .contains("delta"));
  }
}
