package io.synclog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.config.SyncConfig.Need;
import io.synclog.error.SyncLogException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration rules, from plain maps: no SparkSession. */
class SyncConfigTest {

  /** The keys a plan or record run needs. */
  private static Map<String, String> runKeys() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("sync.id", "s1");
    m.put("run.id", "r1");
    m.put("model.id", "m1");
    m.put("model.primary-key", "id");
    m.put("model.table", "db.customers");
    m.put("statuses.path", "/data/statuses");
    return m;
  }

  private static Map<String, String> plus(Map<String, String> base, String... kv) {
    Map<String, String> m = new LinkedHashMap<>(base);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static SyncConfig resolve(Map<String, String> commandLine, Need need) {
    return SyncConfig.resolve(ConfigSources.ofCommandLine(commandLine), need);
  }

  /** The problems reported for a configuration that must not resolve. */
  private static String problems(ConfigSources sources, Need need) {
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(() -> SyncConfig.resolve(sources, need));
    assertThat(t).as("resolving must fail").isInstanceOf(SyncLogException.class);
    assertThat(((SyncLogException) t).code()).isEqualTo("CONFIG");
    return t.getMessage();
  }

  private static String problems(Map<String, String> commandLine, Need need) {
    return problems(ConfigSources.ofCommandLine(commandLine), need);
  }

  // ---- defaults and layers ------------------------------------------------------------------

  @Test
  void everyDefaultIsPinned() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("sync.destination", "unknown");
    expected.put("model.format", "parquet");
    expected.put("model.partitions", "8");
    expected.put("model.on-schema-change", "resync");
    expected.put("model.on-key-problem", "log");
    expected.put("statuses.format", "parquet");
    expected.put("statuses.on-invalid", "fail");
    expected.put("model.connector", "spark");
    expected.put("target.kind", "delta");
    expected.put("target.liquid-clustering", "false");
    expected.put("target.change-data-feed", "false");
    expected.put("target.deletion-vectors", "auto");
    expected.put("target.snapshot-rewrite-runs", "20");
    expected.put("target.write-method", "indirect");
    expected.put("target.location", "warehouse");
    expected.put("target.schema", "sync_audit");
    expected.put("tables.enabled", "changelog,snapshot,runs");
    expected.put("record.use-plan", "auto");
    expected.put("spark.master", "local[*]");

    Map<String, String> declared = new LinkedHashMap<>();
    ConfigKeys.ALL.values().stream()
        .filter(k -> k.defaultValue() != null)
        .forEach(k -> declared.put(k.name(), k.defaultValue()));
    assertThat(declared).as("declared defaults").containsExactlyInAnyOrderEntriesOf(expected);

    SyncConfig config = resolve(Map.of(), Need.TARGET);
    for (ConfigKey key : ConfigKeys.ALL.values()) {
      assertThat(config.get(key))
          .as("effective default of %s", key.name())
          .isEqualTo(expected.get(key.name()));
    }
    assertThat(config.failOnKeyProblem()).isFalse();
    assertThat(config.failOnSchemaChange()).isFalse();
    assertThat(config.tolerateBadStatuses()).isFalse();
    assertThat(config.enabledTables()).containsExactly("changelog", "snapshot", "runs");
    assertThat(config.usesSplits()).isFalse();
    assertThat(config.secret(ConfigKeys.TARGET_PASSWORD)).isEmpty();
  }

  @Test
  void layersOverrideInOrderDefaultsFileSparkConfEnvironmentCommandLine() {
    String key = "target.schema";
    Map<String, String> file = Map.of(key, "from_file");
    Map<String, String> spark = Map.of(key, "from_spark");
    Map<String, String> env = Map.of(key, "from_env");
    Map<String, String> cli = Map.of(key, "from_cli");
    Map<String, String> none = Map.of();
    List<String> seen =
        List.of(
                new ConfigSources(none, none, none, none),
                new ConfigSources(file, none, none, none),
                new ConfigSources(file, spark, none, none),
                new ConfigSources(file, spark, env, none),
                new ConfigSources(file, spark, env, cli),
                new ConfigSources(file, none, none, cli),
                new ConfigSources(none, spark, env, none),
                new ConfigSources(file, none, env, none))
            .stream()
            .map(s -> SyncConfig.resolve(s, Need.TARGET).schema())
            .toList();
    assertThat(seen)
        .containsExactly(
            "sync_audit",
            "from_file",
            "from_spark",
            "from_env",
            "from_cli",
            "from_cli",
            "from_env",
            "from_env");
  }

  @Test
  void environmentAndSparkConfNamesMapToKeys() {
    assertThat(ConfigKeys.MODEL_PRIMARY_KEY.envVar()).isEqualTo("SYNCLOG_MODEL_PRIMARY_KEY");
    assertThat(ConfigKeys.MODEL_PRIMARY_KEY.sparkConf())
        .isEqualTo("spark.synclog.model.primary-key");
    Map<String, String> env = new HashMap<>();
    env.put("SYNCLOG_TARGET_SCHEMA", "audit");
    env.put("SYNCLOG_MODEL_PRIMARY_KEY", "id");
    env.put("PATH", "/usr/bin");
    env.put("SYNCLOG_NOT_A_KEY", "x");
    assertThat(ConfigSources.fromEnv(env))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("target.schema", "audit", "model.primary-key", "id"));
    Map<String, String> conf = new HashMap<>();
    conf.put("spark.synclog.sync.id", "s9");
    conf.put("spark.executor.memory", "4g");
    conf.put("spark.synclog.target.password", "pw");
    assertThat(ConfigSources.fromSparkConf(conf))
        .containsExactlyInAnyOrderEntriesOf(Map.of("sync.id", "s9", "target.password", "pw"));
  }

  @Test
  void configFileIsReadAsTrimmedProperties(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sync.properties");
    Files.writeString(file, "# comment\n target.schema =  audit  \nsync.id=s1\n");
    assertThat(ConfigSources.readFile(file))
        .containsExactlyInAnyOrderEntriesOf(Map.of("target.schema", "audit", "sync.id", "s1"));
    SyncConfig config =
        SyncConfig.resolve(
            new ConfigSources(ConfigSources.readFile(file), Map.of(), Map.of(), Map.of()),
            Need.SYNC);
    assertThat(config.schema()).isEqualTo("audit");
    assertThat(config.syncId()).isEqualTo("s1");
  }

  @Test
  void anUnreadableConfigFileSaysWhichFile(@TempDir Path dir) {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> ConfigSources.readFile(missing))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining(missing.toString())
        .satisfies(e -> assertThat(((SyncLogException) e).code()).isEqualTo("CONFIG_FILE"));
  }

  @Test
  void valuesAreTrimmed() {
    SyncConfig config = resolve(Map.of("target.schema", "  audit  "), Need.TARGET);
    assertThat(config.schema()).isEqualTo("audit");
  }

  // ---- secrets ------------------------------------------------------------------------------

  @Test
  void secretsAreRefusedFromTheConfigFileWithoutEchoingThem() {
    String message =
        problems(
            new ConfigSources(
                Map.of("target.password", "hunter2", "model.password", "swordfish"),
                Map.of(),
                Map.of(),
                Map.of()),
            Need.TARGET);
    assertThat(message)
        .contains(
            "'target.password' is a secret and cannot be set in the config file; set environment"
                + " variable SYNCLOG_TARGET_PASSWORD or Spark conf spark.synclog.target.password")
        .contains(
            "'model.password' is a secret and cannot be set in the config file; set environment"
                + " variable SYNCLOG_MODEL_PASSWORD or Spark conf spark.synclog.model.password")
        .doesNotContain("hunter2")
        .doesNotContain("swordfish");
  }

  @Test
  void secretsAreRefusedFromTheCommandLine() {
    String message =
        problems(Map.of("target.password", "hunter2", "model.password", "swordfish"), Need.TARGET);
    assertThat(message)
        .contains("'target.password' is a secret and cannot be set in the command line")
        .contains("'model.password' is a secret and cannot be set in the command line")
        .doesNotContain("hunter2")
        .doesNotContain("swordfish");
  }

  @Test
  void secretsFromEnvironmentAndSparkConfAreKeptAndMasked() {
    SyncConfig config =
        SyncConfig.resolve(
            new ConfigSources(
                Map.of(),
                Map.of("target.password", "from-spark", "model.password", "model-secret"),
                Map.of("target.password", "hunter2"),
                Map.of("target.user", "audit_writer")),
            Need.TARGET);
    assertThat(config.secret(ConfigKeys.TARGET_PASSWORD).map(Secret::reveal)).contains("hunter2");
    assertThat(config.secret(ConfigKeys.MODEL_PASSWORD).map(Secret::reveal))
        .contains("model-secret");
    assertThat(config.get(ConfigKeys.TARGET_PASSWORD)).as("not among plain values").isNull();
    assertThat(config.describe())
        .contains("  target.password = ****\n")
        .contains("  model.password = ****\n")
        .contains("  target.user = audit_writer\n")
        .doesNotContain("hunter2")
        .doesNotContain("from-spark")
        .doesNotContain("model-secret");
    assertThat(config.toString())
        .startsWith("SyncConfig{")
        .contains("target.password = ****")
        .doesNotContain("hunter2")
        .doesNotContain("model-secret");
    assertThat(config.secret(ConfigKeys.TARGET_PASSWORD).orElseThrow().toString())
        .isEqualTo("****");
    assertThat(config.with(Map.of("target.schema", "x")).secret(ConfigKeys.TARGET_PASSWORD))
        .as("with() keeps secrets")
        .isPresent();
  }

  @Test
  void describeListsEveryEffectiveValueInDocumentationOrder() {
    SyncConfig config = resolve(runKeys(), Need.RUN);
    String d = config.describe();
    assertThat(d)
        .contains(
            "  sync.id = s1\n", "  target.schema = sync_audit\n", "  model.table = db.customers\n");
    assertThat(d.indexOf("sync.id")).isLessThan(d.indexOf("model.id"));
    assertThat(d.indexOf("model.id")).isLessThan(d.indexOf("target.schema"));
    assertThat(d).doesNotContain("model.query");
  }

  // ---- problems -----------------------------------------------------------------------------

  @Test
  void everyProblemIsReportedAtOnce() {
    String message =
        problems(
            Map.of(
                "target.shema", "audit",
                "model.format", "xml",
                "tables.enabled", "changelog,audit",
                "target.schema", "bad-schema"),
            Need.SYNC);
    assertThat(message)
        .startsWith("Cannot start: the configuration has 5 problems:")
        .contains("unknown key 'target.shema' in the command line (did you mean 'target.schema'?)")
        .contains("'model.format' is 'xml'; expected one of parquet, delta, csv, json, orc")
        .contains("'tables.enabled' names 'audit'; expected some of [changelog, snapshot, runs]")
        .contains("'target.schema' is 'bad-schema'; use letters, digits and underscores")
        .contains("'sync.id' is required");
  }

  @Test
  void unknownKeysGetADidYouMeanSuggestionWhenOneIsClose() {
    String message =
        problems(
            new ConfigSources(
                Map.of("modle.id", "m1"), Map.of(), Map.of(), Map.of("frobnicate", "x")),
            Need.TARGET);
    assertThat(message)
        .contains("unknown key 'modle.id' in the config file (did you mean 'model.id'?)")
        .contains("unknown key 'frobnicate' in the command line")
        .doesNotContain("'frobnicate' in the command line (did you mean");
  }

  @Test
  void whatEachCommandRequires() {
    assertThat(resolve(Map.of(), Need.TARGET).syncId()).isNull();
    assertThat(problems(Map.of(), Need.SYNC))
        .contains("has 1 problem:")
        .contains(
            "'sync.id' is required: ID of the sync (required). Set it in the config file or with --sync.id=...");
    String run = problems(Map.of("sync.id", "s1"), Need.RUN);
    assertThat(run)
        .contains("'run.id' is required")
        .contains("'model.id' is required")
        .contains("'model.primary-key' is required")
        .contains("set exactly one of 'model.table', 'model.query' and 'model.path' (found 0)")
        .contains("set exactly one of 'statuses.table' and 'statuses.path'")
        .doesNotContain("'sync.id' is required");
    SyncConfig ok = resolve(runKeys(), Need.RUN);
    assertThat(ok.runId()).isEqualTo("r1");
    assertThat(ok.modelName()).as("model.name defaults to model.id").isEqualTo("m1");
    assertThat(resolve(plus(runKeys(), "model.name", "Customers"), Need.RUN).modelName())
        .isEqualTo("Customers");
  }

  @Test
  void planNeedsNoStatuses() {
    Map<String, String> keys = runKeys();
    keys.remove("statuses.path");
    assertThat(resolve(keys, Need.PLAN).runId()).isEqualTo("r1");
    assertThat(problems(keys, Need.RUN))
        .contains("set exactly one of 'statuses.table' and 'statuses.path'");
    assertThat(problems(Map.of("sync.id", "s1"), Need.PLAN))
        .contains("'run.id' is required")
        .contains("'model.primary-key' is required")
        .doesNotContain("statuses");
  }

  @Test
  void sourcesMustBeUnambiguous() {
    assertThat(problems(plus(runKeys(), "model.path", "/m", "statuses.table", "t"), Need.RUN))
        .contains("(found 2)")
        .contains("set exactly one of 'statuses.table' and 'statuses.path'");
    Map<String, String> jdbcPath =
        plus(runKeys(), "model.path", "/m", "model.jdbc-url", "jdbc:postgresql://h/db");
    jdbcPath.remove("model.table");
    assertThat(problems(jdbcPath, Need.RUN))
        .contains("'model.jdbc-url' reads model.table or model.query, not model.path");
  }

  @Test
  void idsMustBeSafe() {
    assertThat(problems(plus(runKeys(), "sync.id", "has space", "run.id", "x'; drop"), Need.RUN))
        .contains("'sync.id' is 'has space'; use at most 200 letters")
        .contains("'run.id' is 'x'; drop'; use at most 200 letters");
    assertThat(
            resolve(plus(runKeys(), "run.id", "2026-01-31T12:00:00Z/run@1+a=b"), Need.RUN).runId())
        .isEqualTo("2026-01-31T12:00:00Z/run@1+a=b");
  }

  @Test
  void choicesAreChecked() {
    assertThat(
            problems(
                Map.of("statuses.on-invalid", "ignore", "target.kind", "mysql", "run.status", "ok"),
                Need.TARGET))
        .contains("'statuses.on-invalid' is 'ignore'; expected one of fail, tolerate")
        .contains(
            "'target.kind' is 'mysql'; expected one of delta, databricks, postgres, snowflake,"
                + " bigquery, redshift")
        .contains("'run.status' is 'ok'; expected one of succeeded, failed");
    SyncConfig tolerant =
        resolve(
            Map.of("statuses.on-invalid", "tolerate", "model.on-key-problem", "fail"), Need.TARGET);
    assertThat(tolerant.tolerateBadStatuses()).isTrue();
    assertThat(tolerant.failOnKeyProblem()).isTrue();
  }

  @Test
  void postgresTargetNeedsAJdbcUrl() {
    assertThat(problems(Map.of("target.kind", "postgres"), Need.TARGET))
        .contains("'target.jdbc-url' is required with target.kind=postgres");
    assertThat(
            resolve(
                    Map.of("target.kind", "postgres", "target.jdbc-url", "jdbc:postgresql://h/db"),
                    Need.TARGET)
                .targetKind())
        .isEqualTo("postgres");
  }

  @Test
  void splitGroupsAreNamePercentPairsAddingUpTo100() {
    SyncConfig ok = resolve(plus(runKeys(), "split.groups", "control:10, treatment:90"), Need.RUN);
    assertThat(ok.splitGroups())
        .containsExactly(Map.entry("control", 10), Map.entry("treatment", 90));
    assertThat(ok.usesSplits()).isTrue();
    assertThat(problems(plus(runKeys(), "split.groups", "a:10,b:80"), Need.RUN))
        .contains("'split.groups' percentages add up to 90, not 100");
    assertThat(problems(plus(runKeys(), "split.groups", "a:x,b,c:-5,d:100"), Need.RUN))
        .contains("'split.groups' entry 'a:x' is not name:percent")
        .contains("'split.groups' entry 'b' is not name:percent")
        .contains("'split.groups' entry 'c:-5' is not name:percent");
    assertThat(problems(plus(runKeys(), "split.groups", "a:100", "split.column", "grp"), Need.RUN))
        .contains("set at most one of 'split.column' and 'split.groups'");
    assertThat(resolve(plus(runKeys(), "split.column", "grp"), Need.RUN).usesSplits()).isTrue();
  }

  @Test
  void runTimesAreIso8601() {
    assertThat(problems(plus(runKeys(), "run.started-at", "yesterday"), Need.RUN))
        .contains("'run.started-at' is 'yesterday'; use ISO-8601 UTC such as 2026-01-31T12:00:00Z");
    SyncConfig ok =
        resolve(
            plus(
                runKeys(),
                "run.started-at",
                "2026-01-31T12:00:00Z",
                "run.finished-at",
                "2026-01-31T12:00:01.5Z"),
            Need.RUN);
    assertThat(ok.runStartedAt()).contains(Instant.parse("2026-01-31T12:00:00Z"));
    assertThat(ok.runFinishedAt()).contains(Instant.parse("2026-01-31T12:00:01.500Z"));
  }

  @Test
  void aBlankValueInAHigherLayerUnsetsTheKey() {
    SyncConfig config =
        SyncConfig.resolve(
            new ConfigSources(
                Map.of("model.query", "select 1"), Map.of(), Map.of(), Map.of("model.query", " ")),
            Need.TARGET);
    assertThat(config.optional(ConfigKeys.MODEL_QUERY)).isEmpty();
  }

  /** A blank value for a key that has a default (say {@code --target.schema=}) means "unset". */
  @Test
  void aBlankValueForAKeyWithADefaultFallsBackToTheDefault() {
    SyncConfig config =
        resolve(
            Map.of("target.schema", " ", "tables.enabled", "", "target.kind", " "), Need.TARGET);
    assertThat(config.schema()).isEqualTo("sync_audit");
    assertThat(config.enabledTables()).containsExactly("changelog", "snapshot", "runs");
    assertThat(config.targetKind()).isEqualTo("delta");
  }

  @Test
  void withReplacesAndRemovesKeys() {
    SyncConfig config = resolve(runKeys(), Need.RUN);
    Map<String, String> overrides = new HashMap<>();
    overrides.put("run.id", "r2");
    overrides.put("model.table", null);
    SyncConfig next = config.with(overrides);
    assertThat(next.runId()).isEqualTo("r2");
    assertThat(next.optional(ConfigKeys.MODEL_TABLE)).isEmpty();
    assertThat(config.runId()).as("the original is unchanged").isEqualTo("r1");
    assertThat(config.optional(ConfigKeys.MODEL_TABLE)).contains("db.customers");
  }
}
