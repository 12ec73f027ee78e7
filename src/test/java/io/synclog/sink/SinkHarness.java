package io.synclog.sink;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.job.PlanJob;
import io.synclog.job.RecordJob;
import io.synclog.job.RunSummary;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import io.synclog.testing.SyncHarness;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Drives whole runs of one sync into one namespace of a {@link SinkTarget} (a folder for Delta, a
 * schema for Postgres): writes the run's model and statuses as Parquet, runs plan or record, and
 * passes secrets through the Spark-conf layer, as a deployment would.
 */
public final class SinkHarness {
  private final SparkSession spark = SparkExtension.spark();
  private final Path dir;
  private final SinkTarget target;
  private final String namespace;
  private final String syncId;
  private final Map<String, String> settings = new LinkedHashMap<>();

  public SinkHarness(Path dir, SinkTarget target, String namespace, String syncId) {
    this.dir = dir;
    this.target = target;
    this.namespace = namespace;
    this.syncId = syncId;
    settings.put("sync.id", syncId);
    settings.put("sync.destination", "Salesforce");
    settings.put("model.id", "m-" + syncId);
    settings.put("model.name", "model " + syncId);
    settings.put("model.primary-key", "id");
    settings.putAll(target.settings(namespace));
  }

  public SinkHarness set(String key, String value) {
    settings.put(key, value);
    return this;
  }

  public String syncId() {
    return syncId;
  }

  public String namespace() {
    return namespace;
  }

  private Path input(String runId, String what) {
    return dir.resolve("input/" + namespace + "/" + syncId + "/" + runId + "/" + what);
  }

  public void model(String runId, List<Row> rows) {
    Rows.frame(SyncHarness.CUSTOMER, rows)
        .write()
        .mode("overwrite")
        .parquet(input(runId, "model").toString());
  }

  public void statuses(String runId, List<Row> rows) {
    Rows.frame(SyncHarness.STATUS, rows)
        .write()
        .mode("overwrite")
        .parquet(input(runId, "statuses").toString());
  }

  /** The settings of a run, secrets left out: what a command line would give. */
  public Map<String, String> settings(String runId, Map<String, String> extra) {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.put("run.id", runId);
    all.putAll(extra);
    if (!all.containsKey("model.table") && !all.containsKey("model.query")) {
      all.putIfAbsent("model.path", input(runId, "model").toString());
    }
    all.putIfAbsent("statuses.path", input(runId, "statuses").toString());
    all.values().removeIf(v -> v == null);
    return all;
  }

  public SyncConfig config(String runId, Map<String, String> extra) {
    Map<String, String> all = settings(runId, extra);
    ConfigSources sources = new ConfigSources(Map.of(), target.secrets(), Map.of(), all);
    return SyncConfig.resolve(sources, SyncConfig.Need.RUN);
  }

  public LogSink sink() {
    return target.open(spark, config("unused", Map.of()));
  }

  public RunSummary record(String runId) {
    return record(runId, Map.of(), FaultHook.NONE);
  }

  public RunSummary record(String runId, Map<String, String> extra, FaultHook hook) {
    SyncConfig config = config(runId, extra);
    RunSummary summary = new RecordJob(spark, config, target.open(spark, config), hook).run();
    System.out.print("[" + target.kind() + " " + namespace + "] " + summary.render());
    return summary;
  }

  /** Plans a step whose inputs were already written, with its fixed start time. */
  public RunSummary plan(Scenario.Step step, FaultHook hook) {
    SyncConfig config = config(step.runId(), step.times());
    return new PlanJob(spark, config, target.open(spark, config), hook).run();
  }

  /** Writes a scenario step's inputs and records it with its fixed start and finish times. */
  public RunSummary run(Scenario.Step step, FaultHook hook) {
    model(step.runId(), step.model());
    statuses(step.runId(), step.statuses());
    return record(step.runId(), step.times(), hook);
  }

  /** Records a step whose inputs were already written (a rerun). */
  public RunSummary rerun(Scenario.Step step, FaultHook hook) {
    return record(step.runId(), step.times(), hook);
  }
}
