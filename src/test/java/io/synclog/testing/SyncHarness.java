package io.synclog.testing;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.job.PlanJob;
import io.synclog.job.RecordJob;
import io.synclog.job.RunSummary;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.Sinks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Drives whole runs of one sync against Delta tables in a temp folder: writes the run's model and
 * statuses as Parquet, runs plan or record, and reads the tables back.
 */
public final class SyncHarness {
  public static final StructType CUSTOMER =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("email", DataTypes.StringType)
          .add("plan", DataTypes.StringType);

  public static final StructType STATUS =
      new StructType()
          .add("row_id", DataTypes.StringType)
          .add("status", DataTypes.StringType)
          .add("failed_reason", DataTypes.StringType);

  private final SparkSession spark = SparkExtension.spark();
  private final Path dir;
  private final String syncId;
  private final Map<String, String> settings = new LinkedHashMap<>();

  public SyncHarness(Path dir, String syncId) {
    this.dir = dir;
    this.syncId = syncId;
    settings.put("sync.id", syncId);
    settings.put("sync.destination", "Salesforce");
    settings.put("model.id", "m-" + syncId);
    settings.put("model.name", "model " + syncId);
    settings.put("model.primary-key", "id");
    settings.put("target.location", dir.resolve("warehouse").toString());
  }

  public SyncHarness set(String key, String value) {
    settings.put(key, value);
    return this;
  }

  public String syncId() {
    return syncId;
  }

  public Path dir() {
    return dir;
  }

  /** Writes the model of a run and returns its path. */
  public String model(String runId, Dataset<Row> rows) {
    String path = dir.resolve("input/" + syncId + "/" + runId + "/model").toString();
    rows.write().mode("overwrite").parquet(path);
    return path;
  }

  public String model(String runId, List<Row> rows) {
    return model(runId, Rows.frame(CUSTOMER, rows));
  }

  /** Writes the statuses of a run and returns their path. */
  public String statuses(String runId, List<Row> rows) {
    String path = dir.resolve("input/" + syncId + "/" + runId + "/statuses").toString();
    Rows.frame(STATUS, rows).write().mode("overwrite").parquet(path);
    return path;
  }

  public SyncConfig config(String runId, Map<String, String> extra) {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.put("run.id", runId);
    all.putIfAbsent(
        "model.path", dir.resolve("input/" + syncId + "/" + runId + "/model").toString());
    all.putIfAbsent(
        "statuses.path", dir.resolve("input/" + syncId + "/" + runId + "/statuses").toString());
    all.putAll(extra);
    return SyncConfig.resolve(ConfigSources.ofCommandLine(all), SyncConfig.Need.RUN);
  }

  public LogSink sink(SyncConfig config) {
    return Sinks.open(spark, config);
  }

  public RunSummary record(String runId) {
    return record(runId, Map.of(), FaultHook.NONE);
  }

  public RunSummary record(String runId, Map<String, String> extra, FaultHook hook) {
    SyncConfig config = config(runId, extra);
    return new RecordJob(spark, config, sink(config), hook).run();
  }

  public RunSummary plan(String runId) {
    SyncConfig config = config(runId, Map.of());
    return new PlanJob(spark, config, sink(config), FaultHook.NONE).run();
  }

  /** Models a run end to end: model rows, then statuses, then record. */
  public RunSummary run(String runId, List<Row> model, List<Row> statuses) {
    model(runId, model);
    statuses(runId, statuses);
    return record(runId);
  }

  public Dataset<Row> table(String name) {
    return spark
        .read()
        .format("delta")
        .load(dir.resolve("warehouse/sync_audit/" + name).toString());
  }

  /** A table's latest Delta version (-1 before its first commit), read from its log folder. */
  public long version(String name) {
    Path log = dir.resolve("warehouse/sync_audit/" + name + "/_delta_log");
    if (!Files.isDirectory(log)) {
      return -1;
    }
    try (var files = Files.list(log)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.matches("\\d{20}\\.json"))
          .mapToLong(f -> Long.parseLong(f.substring(0, 20)))
          .max()
          .orElse(-1);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static List<Row> list(Row... rows) {
    return new ArrayList<>(List.of(rows));
  }
}
