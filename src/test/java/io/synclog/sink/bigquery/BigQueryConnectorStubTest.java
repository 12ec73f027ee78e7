package io.synclog.sink.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.synclog.config.Secret;
import io.synclog.log.LogTables;
import io.synclog.log.SyncRun;
import io.synclog.sink.FaultHook;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real spark-bigquery-connector writing indirectly: its REST calls go to {@link BigQueryStub}
 * ({@code bigQueryHttpEndpoint}), its staged Avro files to s3proxy on 127.0.0.1 ({@code gs://}
 * mapped onto S3A). Asserts the load job the connector sends (AVRO, JSON-typed fields, the staged
 * URIs, the bearer token) and the staged data itself, then a whole sink commit: two staging loads,
 * then synclog's one transaction script and the staging clean-up, in that order. The stub executes
 * nothing: BigQuery's side of a load and of the script is for the live IT.
 */
@ExtendWith(SparkExtension.class)
class BigQueryConnectorStubTest {
  static final String TOKEN = "dummy-token";
  static final String BUCKET = "stage-bucket";

  @TempDir static Path dir;
  static BigQueryStub stub;
  static S3ProxyProcess s3;
  static Map<String, String> restore;

  static SparkSession spark() {
    return SparkExtension.spark();
  }

  @BeforeAll
  static void start() throws Exception {
    stub = new BigQueryStub();
    s3 = S3ProxyProcess.start(dir, BUCKET);
    restore =
        S3ProxyProcess.apply(spark().sparkContext().hadoopConfiguration(), s3.hadoopSettings());
  }

  @AfterAll
  static void stop() {
    if (restore != null) {
      S3ProxyProcess.restore(spark().sparkContext().hadoopConfiguration(), restore);
    }
    if (s3 != null) {
      s3.close();
    }
    if (stub != null) {
      stub.close();
    }
  }

  static BigQuerySettings settings() {
    return new BigQuerySettings(
        "stub-proj",
        "stub-proj",
        "sync_audit",
        "oauth",
        null,
        null,
        Secret.of(TOKEN),
        "indirect",
        BUCKET + "/synclog",
        stub.endpoint());
  }

  static final String FIELDS_A = "{\"id\":\"a\",\"note\":\"it's \\\"quoted\\\"\"}";

  static Dataset<Row> snapshotRows() {
    return Rows.frame(
        LogTables.snapshotSchema(false),
        List.of(
            RowFactory.create("s1", "added", "a", "succeeded", null, FIELDS_A, 11L, true, "r1"),
            RowFactory.create(
                "s1", "changed", "b", "failed", "bad email", "{\"id\":\"b\"}", 12L, false, "r1")));
  }

  static Dataset<Row> changelogRows() {
    Date day = Date.valueOf("2026-03-01");
    return Rows.frame(
        LogTables.changelogSchema(false),
        List.of(
            RowFactory.create("s1", "r1", "added", "a", "succeeded", null, FIELDS_A, 11L, day)));
  }

  @Test
  void indirectWriteLoadsStagedAvroWithAJsonColumn() {
    int before = stub.requests().size();
    String table = "stub-proj.sync_audit._synclog_stage_test_snapshot";
    Map<String, String> options = new LinkedHashMap<>(BqConnector.write(settings(), table));
    assertThat(options).containsEntry("temporaryGcsBucket", BUCKET + "/synclog");
    // keep the staged files for the assertions below (the real write lets the connector delete
    // them): same bucket, a fixed fresh path
    options.remove("temporaryGcsBucket");
    options.put("persistentGcsBucket", BUCKET);
    options.put("persistentGcsPath", "kept/snapshot");

    BqConnector.write(BqConnector.staged(snapshotRows(), BqConnector.FieldsText.KEEP), options);

    List<BigQueryStub.Request> requests = stub.requests().subList(before, stub.requests().size());
    assertThat(requests)
        .as("every call carries the token")
        .allSatisfy(r -> assertThat(r.headers()).containsEntry("authorization", "Bearer " + TOKEN));
    List<JsonNode> loads =
        requests.stream()
            .filter(r -> r.method().equals("POST") && r.path().endsWith("/jobs"))
            .map(BigQueryStub.Request::json)
            .toList();
    assertThat(loads).hasSize(1);
    JsonNode load = loads.get(0).path("configuration").path("load");
    System.out.println("load job: " + load);
    assertThat(load.path("sourceFormat").asText()).isEqualTo("AVRO");
    assertThat(load.path("createDisposition").asText()).isEqualTo("CREATE_IF_NEEDED");
    // a rerun's load replaces what an interrupted attempt left in the staging table
    assertThat(load.path("writeDisposition").asText()).isEqualTo("WRITE_TRUNCATE");
    assertThat(load.path("destinationTable").toString())
        .isEqualTo(
            "{\"datasetId\":\"sync_audit\",\"projectId\":\"stub-proj\",\"tableId\":\"_synclog_stage_test_snapshot\"}");
    Map<String, String> types = new LinkedHashMap<>();
    for (JsonNode f : load.path("schema").path("fields")) {
      types.put(f.path("name").asText(), f.path("type").asText());
    }
    assertThat(types)
        .containsExactly(
            Map.entry("sync_id", "STRING"),
            Map.entry("op_type", "STRING"),
            Map.entry("row_id", "STRING"),
            Map.entry("status", "STRING"),
            Map.entry("failed_reason", "STRING"),
            Map.entry("fields", "JSON"),
            Map.entry("fields_text", "STRING"),
            Map.entry("fields_hash", "INTEGER"),
            Map.entry("in_destination", "BOOLEAN"),
            Map.entry("last_sync_run_id", "STRING"));
    List<String> uris = new ArrayList<>();
    load.path("sourceUris").forEach(u -> uris.add(u.asText()));
    assertThat(uris).isNotEmpty().allMatch(u -> u.startsWith("gs://" + BUCKET + "/kept/snapshot/"));

    // the staged files hold exactly the rows, fields text unchanged
    List<Row> staged =
        spark().read().format("avro").load("gs://" + BUCKET + "/kept/snapshot").collectAsList();
    List<String> actual = new ArrayList<>();
    for (Row r : staged) {
      actual.add(
          r.getAs("row_id")
              + "|"
              + r.getAs("fields")
              + "|"
              + r.getAs("fields_text")
              + "|"
              + r.getAs("fields_hash"));
    }
    assertThat(actual)
        .containsExactlyInAnyOrder(
            "a|" + FIELDS_A + "|" + FIELDS_A + "|11", "b|{\"id\":\"b\"}|{\"id\":\"b\"}|12");
  }

  private static Map<String, String> loadTypes(JsonNode job) {
    Map<String, String> types = new LinkedHashMap<>();
    for (JsonNode f : job.path("configuration").path("load").path("schema").path("fields")) {
      types.put(f.path("name").asText(), f.path("type").asText());
    }
    return types;
  }

  @Test
  void aCommitLoadsBothStagingTablesThenRunsOneTransactionThenCleansUp() {
    BqRest rest = new BqRest(stub.endpoint(), "stub-proj", BqAuth.of(settings(), Map.of()));
    BigQueryLogSink sink =
        new BigQueryLogSink(spark(), settings(), BigQuerySqlTest.PHYSICAL, true, rest);
    RunLock lock =
        new RunLock(
            new SyncRun("s1", "r1"),
            RunLock.RECORDING,
            0,
            BigQueryPgSemanticsTest.STARTED,
            null,
            false);
    RunOutput output =
        new RunOutput(
            changelogRows(),
            snapshotRows(),
            BigQueryPgSemanticsTest.run("r1", BigQueryPgSemanticsTest.STARTED, 1),
            LocalDate.parse("2026-03-01"));
    List<String> boundaries = new ArrayList<>();
    int before = stub.requests().size();
    FaultHook hook = boundary -> boundaries.add(boundary + "@" + stub.insertedJobs().size());
    int jobsBefore = stub.insertedJobs().size();

    sink.commit(lock, output, hook);

    List<JsonNode> jobs = stub.insertedJobs().subList(jobsBefore, stub.insertedJobs().size());
    List<String> kinds = new ArrayList<>();
    for (JsonNode j : jobs) {
      JsonNode c = j.path("configuration");
      kinds.add(
          c.has("load")
              ? "load " + c.path("load").path("destinationTable").path("tableId").asText()
              : "query");
    }
    String changelogStage = BqNames.stagingName(new SyncRun("s1", "r1"), "changelog");
    String snapshotStage = BqNames.stagingName(new SyncRun("s1", "r1"), "snapshot");
    assertThat(kinds)
        .containsExactly("load " + changelogStage, "load " + snapshotStage, "query", "query");
    assertThat(boundaries)
        .containsExactly(
            "after-changelog@" + (jobsBefore + 1),
            "after-snapshot@" + (jobsBefore + 2),
            "after-runs@" + (jobsBefore + 4));

    assertThat(loadTypes(jobs.get(0)))
        .containsEntry("fields", "JSON")
        .containsEntry("run_date", "DATE")
        .doesNotContainKey("fields_text");
    assertThat(loadTypes(jobs.get(1)))
        .containsEntry("fields", "JSON")
        .containsEntry("fields_text", "STRING");

    JsonNode script = jobs.get(2).path("configuration").path("query");
    assertThat(script.path("query").asText())
        .isEqualTo(
            BqSql.transaction(
                List.of(
                    BqDdl.expire("`stub-proj.sync_audit." + changelogStage + "`"),
                    BqDdl.expire("`stub-proj.sync_audit." + snapshotStage + "`")),
                BqSql.commitBody(
                    new BqNames("stub-proj", "sync_audit", BigQuerySqlTest.PHYSICAL),
                    "`stub-proj.sync_audit." + changelogStage + "`",
                    LogTables.changelogSchema(false),
                    "`stub-proj.sync_audit." + snapshotStage + "`",
                    LogTables.snapshotSchema(false))));
    assertThat(script.path("useLegacySql").asBoolean(true)).isFalse();
    assertThat(script.path("parameterMode").asText()).isEqualTo("NAMED");
    Map<String, String> params = new LinkedHashMap<>();
    for (JsonNode p : script.path("queryParameters")) {
      JsonNode v = p.path("parameterValue").path("value");
      params.put(
          p.path("name").asText(),
          p.path("parameterType").path("type").asText()
              + " "
              + (v.isMissingNode() ? "NULL" : v.asText()));
    }
    assertThat(params)
        .containsEntry("sync_id", "STRING s1")
        .containsEntry("run_id", "STRING r1")
        .containsEntry("run_date", "DATE 2026-03-01")
        .containsEntry("r_error", "STRING NULL")
        .containsEntry("r_started_at", "TIMESTAMP 2026-03-01 10:00:00.000000+00:00")
        .containsEntry("r_num_planned_add", "INT64 1");
    assertThat(jobs.get(3).path("configuration").path("query").path("query").asText())
        .isEqualTo(
            "DROP TABLE IF EXISTS `stub-proj.sync_audit."
                + changelogStage
                + "`;\nDROP TABLE IF EXISTS `stub-proj.sync_audit."
                + snapshotStage
                + "`");
    assertThat(stub.requests().subList(before, stub.requests().size()))
        .allSatisfy(r -> assertThat(r.headers()).containsEntry("authorization", "Bearer " + TOKEN));
  }
}
