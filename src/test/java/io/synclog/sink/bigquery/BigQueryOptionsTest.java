package io.synclog.sink.bigquery;

import static io.synclog.sink.bigquery.BigQuerySettingsTest.KEY_B64;
import static io.synclog.sink.bigquery.BigQuerySettingsTest.TOKEN;
import static io.synclog.sink.bigquery.BigQuerySettingsTest.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.error.SyncLogException;
import io.synclog.source.InputSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact spark-bigquery-connector options of staging writes (indirect and direct), snapshot and
 * plan reads, and model reads. The direct write cannot run offline (Storage Write API over
 * gRPC/TLS), so its option map is all that is checked here; the live IT runs it.
 */
class BigQueryOptionsTest {
  static final String STAGE = "my-proj.sync_audit._synclog_stage_0123456789abcdef_snapshot";

  @Test
  void indirectWritesStageAvroUnderTheTempDirWithOauth() {
    BigQuerySettings s =
        settings(
            Map.of(
                "target.project", "my-proj",
                "target.auth", "oauth",
                "target.temp-dir", "gs://stage-bucket/synclog",
                "target.endpoint", "http://127.0.0.1:9050"),
            Map.of("target.token", TOKEN));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("parentProject", "my-proj");
    expected.put("gcpAccessToken", TOKEN);
    expected.put("bigQueryHttpEndpoint", "http://127.0.0.1:9050");
    expected.put("table", STAGE);
    expected.put("writeMethod", "indirect");
    expected.put("createDisposition", "CREATE_IF_NEEDED");
    expected.put("intermediateFormat", "avro");
    expected.put("temporaryGcsBucket", "stage-bucket/synclog");
    assertThat(BqConnector.write(s, STAGE)).containsExactlyEntriesOf(expected);
  }

  @Test
  void directWritesUseTheStorageWriteApiWithAnInlineKey() {
    BigQuerySettings s =
        settings(
            Map.of(
                "target.project", "my-proj",
                "target.parent-project", "billing-proj",
                "target.auth", "service-account",
                "target.write-method", "direct"),
            Map.of("target.credentials", KEY_B64));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("parentProject", "billing-proj");
    expected.put("credentials", KEY_B64);
    expected.put("table", STAGE);
    expected.put("writeMethod", "direct");
    expected.put("createDisposition", "CREATE_IF_NEEDED");
    expected.put("writeAtLeastOnce", "false");
    assertThat(BqConnector.write(s, STAGE)).containsExactlyEntriesOf(expected);
  }

  @Test
  void readsFilterOneSyncAndUseDefaultCredentials() {
    BigQuerySettings s =
        settings(Map.of("target.project", "my-proj", "target.temp-dir", "gs://stage-b"), Map.of());
    assertThat(BqConnector.read(s, "my-proj.sync_audit.sync_snapshot", BqSql.syncFilter("s'1")))
        .containsExactly(
            Map.entry("parentProject", "my-proj"),
            Map.entry("table", "my-proj.sync_audit.sync_snapshot"),
            Map.entry("filter", "sync_id = 's\\'1'"));
  }

  @Test
  void readsTheModelByTableOrQuery() {
    BigQuerySettings s =
        settings(Map.of("target.project", "my-proj", "target.temp-dir", "gs://stage-b"), Map.of());
    assertThat(BigQueryModelReader.options(s, InputSpec.table("analytics.customers")))
        .containsExactly(
            Map.entry("parentProject", "my-proj"),
            Map.entry("table", "my-proj.analytics.customers"));
    assertThat(BigQueryModelReader.options(s, InputSpec.table("other-proj.analytics.customers")))
        .containsEntry("table", "other-proj.analytics.customers");
    assertThat(BigQueryModelReader.options(s, InputSpec.query("SELECT id FROM a.b")))
        .containsExactly(
            Map.entry("parentProject", "my-proj"),
            Map.entry("query", "SELECT id FROM a.b"),
            Map.entry("viewsEnabled", "true"),
            Map.entry("materializationProject", "my-proj"),
            Map.entry("materializationDataset", "sync_audit"));
    // reading the model needs no staging bucket
    BigQuerySettings reads =
        BigQuerySettings.forReads(
            BigQuerySettingsTest.config(Map.of("target.project", "my-proj"), Map.of()));
    assertThat(BigQueryModelReader.options(reads, InputSpec.table("a.b")))
        .containsEntry("table", "my-proj.a.b");
    assertThatThrownBy(
            () ->
                BigQuerySettings.of(
                    BigQuerySettingsTest.config(Map.of("target.project", "my-proj"), Map.of())))
        .hasMessageContaining("'target.temp-dir' is required");
    for (String bad : java.util.List.of("customers", "a..b", "`a.b`", "p.d.t.x")) {
      assertThatThrownBy(() -> BigQueryModelReader.options(s, InputSpec.table(bad)))
          .as(bad)
          .isInstanceOf(SyncLogException.class)
          .hasMessageContaining("model.table");
    }
  }
}
