package io.synclog.demo;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.synclog.config.ConfigKeys;
import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.job.PlanJob;
import io.synclog.job.Progress;
import io.synclog.job.RecordJob;
import io.synclog.job.RunSummary;
import io.synclog.log.LogTables;
import io.synclog.log.RunCounts;
import io.synclog.log.SyncRun;
import io.synclog.plan.Columns;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.Sinks;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code demo}: runs a generated customers model through several runs of one sync with the real
 * {@code plan} and {@code record} steps, a simulated destination in between, then answers the
 * reference's example questions over the tables it wrote.
 *
 * <p>Each run: write the model as Parquet under {@code <target.location>/demo_input/run-N/model},
 * plan it, let the destination read the stored plan and report statuses (Parquet under {@code
 * run-N/statuses}), record it. The demo starts from a clean slate: it deletes {@code
 * <target.location>/<target.schema>} and {@code <target.location>/demo_input} first, and refuses to
 * when that schema holds runs of other syncs.
 */
public final class DemoJob {
  static final String SYNC_ID = "demo-customers";
  static final String MODEL_ID = "mdl-customers";
  static final String MODEL_NAME = "customers";
  static final String DESTINATION = "Salesforce";
  static final int DEFAULT_CUSTOMERS = 100_000;
  static final String INPUT_FOLDER = "demo_input";

  private final SparkSession spark;
  private final SyncConfig config;
  private final PrintStream out;
  private final CustomerModel customers;
  private final Path location;
  private final FileSystem fs;
  private Progress progress = Progress.NONE;

  public DemoJob(SparkSession spark, SyncConfig config, PrintStream out) {
    this(spark, config, out, DEFAULT_CUSTOMERS);
  }

  /** Reports each run's stages to {@code progress} as well as to the log. */
  public DemoJob reportingTo(Progress progress) {
    this.progress = progress;
    return this;
  }

  /** A demo of another size: tests use a small one. */
  DemoJob(SparkSession spark, SyncConfig config, PrintStream out, int customers) {
    if (!"delta".equals(config.targetKind())) {
      throw Errors.badUsage(
          "Cannot run the demo with target.kind="
              + config.targetKind()
              + ": its simulated destination reads the stored plan from Delta tables under"
              + " target.location. Run it with target.kind=delta (the default).");
    }
    this.spark = spark;
    this.config = config;
    this.out = out;
    this.customers = new CustomerModel(customers);
    try {
      Path raw = new Path(config.location());
      this.fs = raw.getFileSystem(spark.sparkContext().hadoopConfiguration());
      this.location = fs.makeQualified(raw);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open target.location " + config.location(), e);
    }
  }

  /** The schema folder holding the tables. */
  Path root() {
    return new Path(location, config.schema());
  }

  Path input(DemoRun run, String what) {
    return new Path(location, INPUT_FOLDER + "/run-" + run.number() + "/" + what);
  }

  /** Each table's SQL reference, {@code delta.`path`}, by its name. */
  Map<String, String> tables() {
    Map<String, String> tables = new LinkedHashMap<>();
    for (String name : List.of(LogTables.CHANGELOG, LogTables.SNAPSHOT, LogTables.RUNS)) {
      tables.put(name, ExampleQueries.deltaPath(new Path(root(), name).toString()));
    }
    return tables;
  }

  public void run() {
    out.printf(
        "synclog demo: %,d customers through %d runs of sync '%s' (%s), tables under %s%n",
        customers.customers(), DemoRun.ALL.size(), SYNC_ID, DESTINATION, root());
    cleanSlate();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    int last = DemoRun.ALL.get(DemoRun.ALL.size() - 1).number();
    for (DemoRun run : DemoRun.ALL) {
      Instant finishedAt = now.minus(Duration.ofDays(last - run.number()));
      runOnce(run, finishedAt);
    }
    new ExampleAnswers(spark, tables()).print(out);
  }

  /** Deletes what an earlier demo left, unless the schema holds other syncs' runs. */
  private void cleanSlate() {
    Path runs = new Path(root(), LogTables.RUNS);
    if (DeltaTable.isDeltaTable(spark, runs.toString())) {
      List<String> others =
          spark
              .read()
              .format("delta")
              .load(runs.toString())
              .where(col(Columns.SYNC_ID).notEqual(SYNC_ID))
              .select(Columns.SYNC_ID)
              .distinct()
              .limit(3)
              .collectAsList()
              .stream()
              .map(r -> r.getString(0))
              .toList();
      if (!others.isEmpty()) {
        throw Errors.badUsage(
            "Cannot run the demo in "
                + root()
                + ": it deletes that folder first, and it holds runs of other syncs ("
                + String.join(", ", others)
                + "). Point target.location or target.schema at a folder of its own.");
      }
    }
    for (Path p : List.of(root(), new Path(location, INPUT_FOLDER))) {
      try {
        fs.delete(p, true);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete " + p + " to start the demo afresh", e);
      }
    }
  }

  private void runOnce(DemoRun run, Instant finishedAt) {
    Instant startedAt = finishedAt.minus(Duration.ofMinutes(run.cutShort() ? 4 : 11));
    out.printf(
        "%n--- %s, %s: %s%n", run.runId(), startedAt.truncatedTo(ChronoUnit.MINUTES), run.story());
    Path modelPath = input(run, "model");
    Path statusesPath = input(run, "statuses");
    CustomerModel.withDuplicatedIds(customers.atRun(spark, run.number()), run.duplicatedIds())
        .write()
        .mode("overwrite")
        .parquet(modelPath.toString());

    SyncConfig runConfig = runConfig(run, modelPath, statusesPath, startedAt, finishedAt);
    LogSink sink = Sinks.open(spark, runConfig);
    RunSummary plan =
        new PlanJob(spark, runConfig, sink, FaultHook.NONE).reportingTo(progress).run();
    progress.end();
    out.println("  plan:        " + describePlan(plan.counts()));

    SimulatedDestination destination = new SimulatedDestination(spark);
    Dataset<Row> planned =
        destination.plannedRows(
            new Path(root(), LogTables.PLANS).toString(), new SyncRun(SYNC_ID, run.runId()));
    SimulatedDestination.send(planned, run.runId(), run.attemptedPercent())
        .write()
        .mode("overwrite")
        .parquet(statusesPath.toString());
    out.println("  destination: " + describeStatuses(run, statusesPath));

    RunSummary recorded =
        new RecordJob(spark, runConfig, sink, FaultHook.NONE).reportingTo(progress).run();
    progress.end();
    out.print(recorded.render());
  }

  /**
   * The run's configuration: the target from the demo's config, the sync and run from the demo.
   * {@link SyncConfig#with} does not validate again, so every key that could conflict with the
   * demo's own (another model or statuses source, splits, an injected fault) is cleared here.
   */
  SyncConfig runConfig(
      DemoRun run, Path modelPath, Path statusesPath, Instant startedAt, Instant finishedAt) {
    Map<String, String> keys = new HashMap<>();
    // Qualified, so a relative target.location (the default, "warehouse") names a path to Delta.
    keys.put(ConfigKeys.TARGET_LOCATION.name(), location.toString());
    keys.put(ConfigKeys.SYNC_ID.name(), SYNC_ID);
    keys.put(ConfigKeys.SYNC_DESTINATION.name(), DESTINATION);
    keys.put(ConfigKeys.MODEL_ID.name(), MODEL_ID);
    keys.put(ConfigKeys.MODEL_NAME.name(), MODEL_NAME);
    keys.put(ConfigKeys.MODEL_PRIMARY_KEY.name(), "id");
    keys.put(ConfigKeys.MODEL_PATH.name(), modelPath.toString());
    keys.put(ConfigKeys.MODEL_FORMAT.name(), "parquet");
    keys.put(ConfigKeys.MODEL_ON_KEY_PROBLEM.name(), "log");
    keys.put(ConfigKeys.STATUSES_PATH.name(), statusesPath.toString());
    keys.put(ConfigKeys.STATUSES_FORMAT.name(), "parquet");
    keys.put(ConfigKeys.STATUSES_ON_INVALID.name(), "fail");
    keys.put(ConfigKeys.RECORD_USE_PLAN.name(), "always");
    keys.put(ConfigKeys.RUN_ID.name(), run.runId());
    keys.put(ConfigKeys.RUN_STARTED_AT.name(), startedAt.toString());
    keys.put(ConfigKeys.RUN_FINISHED_AT.name(), finishedAt.toString());
    keys.put(ConfigKeys.RUN_ERROR.name(), run.error());
    for (var cleared :
        List.of(
            ConfigKeys.MODEL_TABLE,
            ConfigKeys.MODEL_QUERY,
            ConfigKeys.MODEL_JDBC_URL,
            ConfigKeys.STATUSES_TABLE,
            ConfigKeys.SPLIT_COLUMN,
            ConfigKeys.SPLIT_GROUPS,
            ConfigKeys.RUN_STATUS,
            ConfigKeys.FAULT_INJECT_AT)) {
      keys.put(cleared.name(), null);
    }
    return config.with(keys);
  }

  private static String describePlan(RunCounts counts) {
    return String.format(
        "%,d row(s) to send: %,d added, %,d changed, %,d removed",
        counts.totalPlanned(),
        counts.of(Columns.ADDED).planned(),
        counts.of(Columns.CHANGED).planned(),
        counts.of(Columns.REMOVED).planned());
  }

  private String describeStatuses(DemoRun run, Path statusesPath) {
    Map<String, Long> byStatus = new HashMap<>();
    spark
        .read()
        .parquet(statusesPath.toString())
        .groupBy(Columns.STATUS)
        .count()
        .collectAsList()
        .forEach(r -> byStatus.put(r.getString(0), r.getLong(1)));
    String reported =
        String.format(
            "%s (simulated) reported %,d succeeded, %,d failed",
            DESTINATION,
            byStatus.getOrDefault(Columns.SUCCEEDED, 0L),
            byStatus.getOrDefault(Columns.FAILED, 0L));
    return run.cutShort()
        ? reported + "; then stopped: " + run.error() + " (the rest get no status)"
        : reported;
  }
}
