package io.synclog.sink.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.error.SyncLogException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target.* settings of target.kind=bigquery: what each auth mode needs, every problem reported
 * at once, and credentials that never reach a message, a toString or the logged option map.
 */
class BigQuerySettingsTest {
  static final String TOKEN = "ya29.secret-token-value";
  static final String KEY_JSON =
      "{\"type\":\"service_account\",\"client_email\":\"sa@p.iam.gserviceaccount.com\","
          + "\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nMIIsecretkeybody\\n-----END PRIVATE"
          + " KEY-----\\n\"}";
  static final String KEY_B64 =
      Base64.getEncoder().encodeToString(KEY_JSON.getBytes(StandardCharsets.UTF_8));

  @TempDir Path dir;

  static SyncConfig config(Map<String, String> settings, Map<String, String> secrets) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("target.kind", "bigquery");
    all.put("target.schema", "sync_audit");
    all.putAll(settings);
    return SyncConfig.resolve(
        new ConfigSources(Map.of(), secrets, Map.of(), all), SyncConfig.Need.TARGET);
  }

  static BigQuerySettings settings(Map<String, String> settings, Map<String, String> secrets) {
    return BigQuerySettings.of(config(settings, secrets));
  }

  @Test
  void readsEachAuthMode() throws IOException {
    Path key = Files.writeString(dir.resolve("key.json"), KEY_JSON);
    BigQuerySettings file =
        settings(
            Map.of(
                "target.project", "my-proj",
                "target.auth", "service-account",
                "target.credentials-file", key.toString(),
                "target.temp-dir", "gs://stage-bucket/synclog/"),
            Map.of());
    assertThat(file.parentProject()).isEqualTo("my-proj");
    assertThat(file.tempDir()).isEqualTo("stage-bucket/synclog");
    assertThat(file.credentialsFile()).isEqualTo(key.toString());
    assertThat(file.restEndpoint()).isEqualTo("https://bigquery.googleapis.com");

    BigQuerySettings inline =
        settings(
            Map.of(
                "target.project", "my-proj",
                "target.parent-project", "billing-proj",
                "target.auth", "service-account",
                "target.write-method", "direct",
                "target.endpoint", "http://127.0.0.1:9050/"),
            Map.of("target.credentials", KEY_B64));
    assertThat(inline.credentials().reveal()).isEqualTo(KEY_JSON);
    assertThat(inline.parentProject()).isEqualTo("billing-proj");
    assertThat(inline.restEndpoint()).isEqualTo("http://127.0.0.1:9050");
    assertThat(inline.tempDir()).isNull();

    BigQuerySettings oauth =
        settings(
            Map.of(
                "target.project",
                "my-proj",
                "target.auth",
                "oauth",
                "target.temp-dir",
                "gs://stage-b"),
            Map.of("target.token", TOKEN));
    assertThat(oauth.token().reveal()).isEqualTo(TOKEN);

    BigQuerySettings adc =
        settings(Map.of("target.project", "my-proj", "target.temp-dir", "gs://stage-b"), Map.of());
    assertThat(adc.auth()).isEqualTo("default");
  }

  @Test
  void theExampleConfigIsValidAndChoosesThisSinkAndReader() {
    Map<String, String> file =
        new LinkedHashMap<>(ConfigSources.readFile(Path.of("conf/bigquery.example.properties")));
    file.put("model.connector", "bigquery");
    SyncConfig config =
        SyncConfig.resolve(
            new ConfigSources(file, Map.of(), Map.of(), Map.of()), SyncConfig.Need.TARGET);
    BigQuerySettings s = BigQuerySettings.of(config);
    assertThat(s.toString())
        .isEqualTo("BigQuery dataset my-project.sync_audit (auth default, indirect writes)");
    assertThat(s.tempDir()).isEqualTo("my-staging-bucket/synclog");
    io.synclog.sink.LogSink sink = io.synclog.sink.Sinks.open(null, config);
    assertThat(sink).isInstanceOf(BigQueryLogSink.class);
    assertThat(sink.describe()).isEqualTo("BigQuery dataset my-project.sync_audit");
    assertThat(sink.tableName("snapshot")).isEqualTo("my-project.sync_audit.sync_snapshot");
    assertThat(io.synclog.sink.Sinks.modelReader(config)).isInstanceOf(BigQueryModelReader.class);
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(
            () ->
                settings(
                    Map.of(
                        "target.project", "Bad_Project",
                        "target.auth", "service-account",
                        "target.temp-dir", "s3://wrong",
                        "target.endpoint", "ftp://x"),
                    Map.of("target.token", TOKEN)))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("target.kind=bigquery cannot start")
        .hasMessageContaining("'target.project' is 'Bad_Project'")
        .hasMessageContaining("needs exactly one of 'target.credentials-file'")
        .hasMessageContaining("'target.token' is for target.auth=oauth")
        .hasMessageContaining("BigQuery stages on gs://bucket[/path]")
        .hasMessageContaining("'target.endpoint' is 'ftp://x'")
        .message()
        .doesNotContain(TOKEN);

    assertThatThrownBy(() -> settings(Map.of("target.auth", "oauth"), Map.of()))
        .hasMessageContaining("'target.project' is required")
        .hasMessageContaining("target.auth=oauth needs 'target.token'")
        .hasMessageContaining("'target.temp-dir' is required with target.write-method=indirect");

    assertThatThrownBy(
            () ->
                settings(
                    Map.of("target.project", "my-proj", "target.auth", "password"),
                    Map.of("target.credentials", "not base64 !!")))
        .hasMessageContaining("'target.auth' is 'password'; BigQuery takes");

    assertThatThrownBy(
            () ->
                settings(
                    Map.of(
                        "target.project", "my-proj",
                        "target.auth", "service-account",
                        "target.write-method", "direct"),
                    Map.of("target.credentials", "%%%not-base64")))
        .hasMessageContaining("'target.credentials' is not base64")
        .message()
        .doesNotContain("%%%not-base64");

    assertThatThrownBy(
            () ->
                settings(
                    Map.of(
                        "target.project", "my-proj",
                        "target.auth", "default",
                        "target.credentials-file", "/nowhere.json",
                        "target.temp-dir", "gs://stage-b"),
                    Map.of()))
        .hasMessageContaining("target.auth=default uses GOOGLE_APPLICATION_CREDENTIALS");
  }

  @Test
  void credentialsNeverReachMessagesOrStrings() {
    BigQuerySettings inline =
        settings(
            Map.of(
                "target.project", "my-proj",
                "target.auth", "service-account",
                "target.temp-dir", "gs://stage-b"),
            Map.of("target.credentials", KEY_B64));
    BigQuerySettings oauth =
        settings(
            Map.of(
                "target.project",
                "my-proj",
                "target.auth",
                "oauth",
                "target.temp-dir",
                "gs://stage-b"),
            Map.of("target.token", TOKEN));
    List<String> printed =
        List.of(
            inline.toString(),
            oauth.toString(),
            String.valueOf(inline.credentials()),
            String.valueOf(oauth.token()),
            BqAuth.of(oauth, Map.of()).toString(),
            BqAuth.of(inline, Map.of()).toString());
    for (String p : printed) {
      assertThat(p).doesNotContain(TOKEN).doesNotContain("secretkeybody").doesNotContain(KEY_B64);
    }
    assertThat(inline.toString())
        .isEqualTo("BigQuery dataset my-proj.sync_audit (auth service-account, indirect writes)");

    // an error whose message echoes a credential is replaced by a masked copy without its cause
    Exception leaky =
        new RuntimeException(
            "request failed",
            new IllegalStateException("bad header Authorization: Bearer " + TOKEN));
    Throwable scrubbed = BqValues.scrub(leaky, List.of(TOKEN));
    assertThat(scrubbed.getCause()).isNull();
    assertThat(scrubbed.getMessage()).isEqualTo("RuntimeException: request failed");
    Throwable key =
        BqValues.scrub(
            new RuntimeException("cannot parse " + KEY_JSON.replace("\\n", "\n")), List.of());
    assertThat(key.getMessage()).doesNotContain("secretkeybody").contains("****");
    Exception clean = new RuntimeException("Not found: Table my-proj:ds.t");
    assertThat(BqValues.scrub(clean, List.of(TOKEN))).isSameAs(clean);
  }
}
