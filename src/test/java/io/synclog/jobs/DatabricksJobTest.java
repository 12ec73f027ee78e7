package io.synclog.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * jobs/databricks: the Jobs API 2.1 job definition and the Asset Bundle, parsed and checked against
 * the shapes those formats document.
 */
class DatabricksJobTest {
  private static final Path DIR = Path.of("jobs/databricks");
  private static final List<String> PARAMETERS =
      List.of(
          "record",
          "--config",
          "<config>",
          "--sync.id",
          "{{job.parameters.sync_id}}",
          "--run.id",
          "{{job.parameters.run_id}}");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String what) {
    assertThat(value).as(what + " is an object").isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value, String what) {
    assertThat(value).as(what + " is a list").isInstanceOf(List.class);
    return (List<Object>) value;
  }

  /** Checks a job's settings; returns the config path its task passes. */
  private static String checkJob(Map<String, Object> job, String jarPath) {
    assertThat(job.get("name")).as("name").isInstanceOf(String.class);
    List<Object> parameters = list(job.get("parameters"), "parameters");
    assertThat(parameters)
        .extracting(p -> map(p, "a job parameter").get("name"))
        .containsExactly("sync_id", "run_id");
    parameters.forEach(
        p -> assertThat(map(p, "a job parameter").get("default")).isInstanceOf(String.class));

    List<Object> clusters = list(job.get("job_clusters"), "job_clusters");
    assertThat(clusters).hasSize(1);
    Map<String, Object> cluster = map(clusters.get(0), "job cluster");
    Map<String, Object> newCluster = map(cluster.get("new_cluster"), "new_cluster");
    assertThat(newCluster.get("spark_version")).isEqualTo("15.4.x-scala2.12");
    assertThat(newCluster.get("num_workers")).isInstanceOf(Integer.class);
    assertThat(newCluster.get("node_type_id")).isInstanceOf(String.class);

    List<Object> tasks = list(job.get("tasks"), "tasks");
    assertThat(tasks).hasSize(1);
    Map<String, Object> task = map(tasks.get(0), "task");
    assertThat(task.get("task_key")).isEqualTo("record");
    assertThat(task.get("job_cluster_key")).isEqualTo(cluster.get("job_cluster_key"));
    Map<String, Object> jar = map(task.get("spark_jar_task"), "spark_jar_task");
    assertThat(jar.get("main_class_name")).isEqualTo("io.synclog.SyncLogMain");
    List<Object> args = list(jar.get("parameters"), "spark_jar_task.parameters");
    assertThat(args).hasSize(PARAMETERS.size());
    for (int i = 0; i < args.size(); i++) {
      assertThat(args.get(i)).as("parameter " + i).isInstanceOf(String.class);
      if (!PARAMETERS.get(i).equals("<config>")) {
        assertThat(args.get(i)).as("parameter " + i).isEqualTo(PARAMETERS.get(i));
      }
    }
    List<Object> libraries = list(task.get("libraries"), "libraries");
    assertThat(libraries).extracting(l -> map(l, "library").get("jar")).containsExactly(jarPath);
    return (String) args.get(2);
  }

  @Test
  void jobJsonIsAJobsApiJarJobOnRuntime154() throws Exception {
    Map<String, Object> job =
        map(new ObjectMapper().readValue(DIR.resolve("job.json").toFile(), Map.class), "job");
    String config = checkJob(job, "/Volumes/main/sync_audit/synclog/synclog.jar");
    assertThat(config).startsWith("/Volumes/").endsWith(".properties");
    assertThat(
            map(job.get("parameters") instanceof List<?> l ? l.get(1) : null, "run_id")
                .get("default"))
        .as("each scheduled run gets its own run id")
        .isEqualTo("{{job.run_id}}");
  }

  @Test
  void bundleBuildsTheJarWithMavenAndSchedulesTheRecordStep() throws Exception {
    Map<String, Object> bundle =
        map(new Yaml().load(Files.readString(DIR.resolve("databricks.yml"))), "bundle file");
    assertThat(map(bundle.get("bundle"), "bundle").get("name")).isEqualTo("synclog");

    Map<String, Object> artifacts = map(bundle.get("artifacts"), "artifacts");
    Map<String, Object> artifact = map(artifacts.get("synclog_jar"), "synclog_jar");
    assertThat(artifact.get("type")).isEqualTo("jar");
    assertThat((String) artifact.get("build")).startsWith("mvn -B package");
    String source = (String) map(list(artifact.get("files"), "files").get(0), "file").get("source");
    assertThat(DIR.resolve(source).normalize()).isEqualTo(Path.of("target/synclog.jar"));
    assertThat(DIR.resolve((String) artifact.get("path")).normalize().resolve("pom.xml"))
        .as("the artifact path is the Maven project")
        .exists();

    Map<String, Object> jobs = map(map(bundle.get("resources"), "resources").get("jobs"), "jobs");
    Map<String, Object> job = map(jobs.get("synclog_record"), "synclog_record");
    assertThat(checkJob(job, "../../target/synclog.jar")).isEqualTo("${var.config_path}");
    Map<String, Object> schedule = map(job.get("schedule"), "schedule");
    assertThat((String) schedule.get("quartz_cron_expression"))
        .as("a Quartz cron expression: seconds minutes hours day-of-month month day-of-week")
        .matches("\\S+( \\S+){5,6}");
    assertThat(schedule.get("timezone_id")).isEqualTo("UTC");

    Map<String, Object> variables = map(bundle.get("variables"), "variables");
    assertThat(variables).containsKeys("config_path", "sync_id");
    for (String name : variables.keySet()) {
      assertThat(map(variables.get(name), name)).containsKeys("description", "default");
    }
    Map<String, Object> targets = map(bundle.get("targets"), "targets");
    assertThat(targets).containsKeys("dev", "prod");
    assertThat(map(targets.get("dev"), "dev").get("mode")).isEqualTo("development");
    assertThat(map(targets.get("prod"), "prod").get("mode")).isEqualTo("production");
  }
}
