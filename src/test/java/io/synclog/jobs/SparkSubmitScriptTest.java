package io.synclog.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** jobs/spark-submit, run with --dry-run: the exact command it would run, without Spark. */
class SparkSubmitScriptTest {
  private static final Path SCRIPT = Path.of("jobs/spark-submit");
  private static final String JAR = Path.of("target/synclog.jar").toAbsolutePath().toString();
  private static final String DELTA_CONFS =
      "--conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension"
          + " --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog";

  private record Result(int code, String out, String err) {}

  private static Result launch(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("SPARK_HOME");
    pb.environment().remove("SYNCLOG_SPARK_MASTER");
    pb.environment().remove("SYNCLOG_WAREHOUSE");
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the launcher finishes").isTrue();
    return new Result(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip(),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
  }

  @Test
  void deltaRunsLocallyByDefaultAndPassesTheCommandThrough() throws Exception {
    Result r =
        launch(Map.of(), "--dry-run", "record", "--config", "conf/crm.properties", "--sync.id=crm");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "spark-submit --master 'local[*]' --name 'synclog record'"
                + " --class io.synclog.SyncLogMain --packages io.delta:delta-spark_2.12:3.3.2 "
                + DELTA_CONFS
                + " "
                + JAR
                + " record --config conf/crm.properties --sync.id=crm");
  }

  @Test
  void postgresAddsTheDriverAndClusterSettingsComeFromFlagsOrEnvironment() throws Exception {
    Result r =
        launch(
            Map.of("SPARK_HOME", "/opt/spark", "SYNCLOG_SPARK_MASTER", "yarn"),
            "--warehouse",
            "postgres",
            "--deploy-mode",
            "cluster",
            "--conf",
            "spark.executor.memory=4g",
            "--jar",
            "/jars/synclog.jar",
            "--dry-run",
            "prune",
            "--older-than",
            "90d");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "/opt/spark/bin/spark-submit --master yarn --deploy-mode cluster --name 'synclog prune'"
                + " --class io.synclog.SyncLogMain --packages"
                + " io.delta:delta-spark_2.12:3.3.2,org.postgresql:postgresql:42.7.4 "
                + DELTA_CONFS
                + " --conf spark.executor.memory=4g /jars/synclog.jar"
                + " prune --older-than 90d");
    Result flag =
        launch(
            Map.of("SYNCLOG_SPARK_MASTER", "yarn"),
            "--master",
            "spark://h:7077",
            "--dry-run",
            "record");
    assertThat(flag.out()).startsWith("spark-submit --master spark://h:7077 ");
  }

  @Test
  void thePrintedCommandQuotesValuesSoItCanBePasted() throws Exception {
    Result r = launch(Map.of(), "--dry-run", "record", "--run.error", "it's down; retry");
    assertThat(r.out()).endsWith(" record --run.error 'it'\\''s down; retry'");
    // The shell reads the printed line back into the same words.
    Process echo =
        new ProcessBuilder("bash", "-c", "eval \"set -- $0\"; printf '%s\\n' \"${@: -1}\"", r.out())
            .start();
    assertThat(new String(echo.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("it's down; retry\n");
  }

  @Test
  void badLauncherUsageIsRefused() throws Exception {
    Result warehouse = launch(Map.of(), "--warehouse", "oracle", "--dry-run", "record");
    assertThat(warehouse.code()).isEqualTo(2);
    assertThat(warehouse.err())
        .contains(
            "--warehouse is 'oracle'; expected delta, postgres, snowflake, bigquery or redshift");
    Result noCommand = launch(Map.of(), "--dry-run");
    assertThat(noCommand.code()).isEqualTo(2);
    assertThat(noCommand.err()).contains("name a synclog command");
    Result missingJar = launch(Map.of(), "--jar", "/nowhere/synclog.jar", "record");
    assertThat(missingJar.code()).isEqualTo(1);
    assertThat(missingJar.err())
        .contains("+ spark-submit --master")
        .contains("no job jar at /nowhere/synclog.jar; build it with 'mvn -B package -DskipTests'");
  }

  @Test
  void eachWarehouseFetchesItsConnectorAndExtraPackagesAreAppended() throws Exception {
    Map<String, String> expected =
        Map.of(
            "snowflake", "net.snowflake:spark-snowflake_2.12:3.0.0",
            "bigquery",
                "com.google.cloud.spark:spark-3.5-bigquery:0.42.1,"
                    + "org.apache.spark:spark-avro_2.12:3.5.3",
            "redshift", "com.amazon.redshift:redshift-jdbc42:2.1.0.30");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Result r = launch(Map.of(), "--warehouse", e.getKey(), "--dry-run", "record");
      assertThat(r.code()).as(e.getKey()).isZero();
      assertThat(r.out())
          .as(e.getKey())
          .contains(" --packages io.delta:delta-spark_2.12:3.3.2," + e.getValue() + " ");
    }
    Result extra =
        launch(
            Map.of(
                "SYNCLOG_EXTRA_PACKAGES",
                "io.github.spark-redshift-community:spark-redshift_2.12:6.4.3-spark_3.5"),
            "--warehouse",
            "redshift",
            "--dry-run",
            "record");
    assertThat(extra.out())
        .contains(
            ",com.amazon.redshift:redshift-jdbc42:2.1.0.30,"
                + "io.github.spark-redshift-community:spark-redshift_2.12:6.4.3-spark_3.5 ");
  }

  @Test
  void packageVersionsFollowThePom() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    String script = Files.readString(SCRIPT);
    assertThat(script)
        .contains(
            "io.delta:delta-spark_"
                + property(pom, "scala.binary.version")
                + ":"
                + property(pom, "delta.version")
                + "\"")
        .contains("org.postgresql:postgresql:" + property(pom, "postgresql.version") + "\"")
        .contains(
            "net.snowflake:spark-snowflake_2.12:" + property(pom, "spark-snowflake.version") + "\"")
        .contains(
            "com.google.cloud.spark:spark-3.5-bigquery:"
                + property(pom, "spark-bigquery.version")
                + ",org.apache.spark:spark-avro_2.12:"
                + property(pom, "spark.version")
                + "\"");
  }

  static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertThat(m.find()).as("pom.xml defines " + name).isTrue();
    return m.group(1);
  }
}
