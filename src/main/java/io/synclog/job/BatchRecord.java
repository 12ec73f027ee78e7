package io.synclog.job;

import io.synclog.config.ConfigKeys;
import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import io.synclog.log.SyncRun;
import io.synclog.sink.FaultHook;
import io.synclog.sink.Sinks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code record --batch FILE}: the runs a manifest lists, recorded one after another in one Spark
 * application, as a scheduled job records every sync of the last hour. Each run is the same
 * exactly-once {@link RecordJob} a single {@code record} is, on its own sink, and is reported on
 * its own; one run's failure does not stop the others unless {@code --fail-fast} says so. Every
 * line's settings are resolved before the first run starts, so a mistyped key stops the batch with
 * nothing recorded.
 */
public final class BatchRecord {
  private static final Logger LOG = LoggerFactory.getLogger(BatchRecord.class);

  /** How one run of the batch ended. */
  public record Outcome(int line, SyncRun run, String outcome, int exitCode, double seconds) {
    public boolean failed() {
      return exitCode != 0;
    }
  }

  private final SparkSession spark;
  private final BatchManifest manifest;
  private final ConfigSources shared;
  private final String master;
  private Supplier<Progress> progress = () -> Progress.NONE;
  private boolean failFast;
  private int parallel = 1;

  /**
   * @param shared the batch's own settings (its {@code --config} file, Spark conf, environment and
   *     command line), under each line's
   * @param master the Spark master the application runs on, which a line cannot change
   */
  public BatchRecord(
      SparkSession spark, BatchManifest manifest, ConfigSources shared, String master) {
    this.spark = spark;
    this.manifest = manifest;
    this.shared = shared;
    this.master = master;
  }

  /** Progress for each run, made fresh per run. */
  public BatchRecord reportingTo(Supplier<Progress> progress) {
    this.progress = progress;
    return this;
  }

  /**
   * Records runs of up to {@code parallel} different syncs at the same time (1, the default: one
   * run after another).
   */
  public BatchRecord parallel(int parallel) {
    this.parallel = parallel;
    return this;
  }

  /** Stops at the first run that fails, leaving the rest unstarted. */
  public BatchRecord failFast(boolean failFast) {
    this.failFast = failFast;
    return this;
  }

  /**
   * Records every run, printing each one's summary on {@code out} and each failure's message on
   * {@code err}, then the batch's table.
   *
   * @return the outcome of each run that was started, in the manifest's order
   */
  public List<Outcome> run(PrintStream out, PrintStream err) {
    List<SyncConfig> configs = resolve();
    long start = System.nanoTime();
    List<Outcome> outcomes =
        parallel > 1 ? runInParallel(configs, out, err) : runInTurn(configs, out, err);
    out.print(render(outcomes, configs.size(), (System.nanoTime() - start) / 1e9));
    return outcomes;
  }

  private List<Outcome> runInTurn(List<SyncConfig> configs, PrintStream out, PrintStream err) {
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      SyncConfig config = configs.get(i);
      int line = manifest.entries().get(i).line();
      out.print(header(i, configs.size(), line, config));
      Outcome outcome = recordOne(line, config, progress.get(), out, err);
      outcomes.add(outcome);
      if (outcome.failed() && failFast && i + 1 < configs.size()) {
        err.print(stopping(line, configs.size() - i - 1));
        break;
      }
    }
    return outcomes;
  }

  /**
   * Runs of different syncs at the same time, {@link #parallel} at most; the runs of one sync in
   * the manifest's order, one after another, as they would run in turn. Each run's output is kept
   * until it ends and then printed whole, so runs do not interleave their lines.
   */
  private List<Outcome> runInParallel(List<SyncConfig> configs, PrintStream out, PrintStream err) {
    Map<String, List<Integer>> bySync = new LinkedHashMap<>();
    for (int i = 0; i < configs.size(); i++) {
      bySync.computeIfAbsent(configs.get(i).syncId(), k -> new ArrayList<>()).add(i);
    }
    Queue<List<Integer>> syncs = new ConcurrentLinkedQueue<>(bySync.values());
    Outcome[] outcomes = new Outcome[configs.size()];
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger failedLine = new AtomicInteger();
    Runnable worker =
        () -> {
          for (List<Integer> runs = syncs.poll(); runs != null; runs = syncs.poll()) {
            for (int i : runs) {
              if (stop.get()) {
                return;
              }
              SyncConfig config = configs.get(i);
              int line = manifest.entries().get(i).line();
              ByteArrayOutputStream runOut = new ByteArrayOutputStream();
              ByteArrayOutputStream runErr = new ByteArrayOutputStream();
              Outcome outcome =
                  recordOne(
                      line,
                      config,
                      Progress.NONE,
                      new PrintStream(runOut, true, StandardCharsets.UTF_8),
                      new PrintStream(runErr, true, StandardCharsets.UTF_8));
              outcomes[i] = outcome;
              if (outcome.failed() && failFast && stop.compareAndSet(false, true)) {
                failedLine.set(line);
              }
              synchronized (out) {
                out.print(header(i, configs.size(), line, config));
                out.print(runOut.toString(StandardCharsets.UTF_8));
                err.print(runErr.toString(StandardCharsets.UTF_8));
              }
            }
          }
        };
    int workers = Math.min(parallel, bySync.size());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "synclog-batch");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        running.add(pool.submit(worker));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the batch was interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a batch worker stopped", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    List<Outcome> started = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o != null) {
        started.add(o);
      }
    }
    if (stop.get() && started.size() < configs.size()) {
      err.print(stopping(failedLine.get(), configs.size() - started.size()));
    }
    return started;
  }

  private static String header(int index, int of, int line, SyncConfig config) {
    return String.format(
        "synclog: batch run %d of %d (line %d): %s%n", index + 1, of, line, config.syncRun());
  }

  private static String stopping(int failedLine, int notStarted) {
    return String.format(
        "synclog: --fail-fast: the run of line %d failed, so the batch stops; %d run(s) not"
            + " started%n",
        failedLine, notStarted);
  }

  private Outcome recordOne(
      int line, SyncConfig config, Progress shown, PrintStream out, PrintStream err) {
    long start = System.nanoTime();
    LOG.info("synclog record, batch line {}, with configuration:\n{}", line, config.describe());
    try {
      RunSummary summary =
          new RecordJob(spark, config, Sinks.open(spark, config), FaultHook.configured(config))
              .reportingTo(shown)
              .run();
      shown.end();
      out.print(summary.render());
      return new Outcome(line, config.syncRun(), summary.outcome(), 0, seconds(start));
    } catch (SyncLogException e) {
      shown.end();
      err.println(e.getMessage());
      return new Outcome(
          line, config.syncRun(), "failed: " + e.code(), e.exitCode(), seconds(start));
    } catch (RuntimeException e) {
      shown.end();
      LOG.error("synclog stopped {} on an unexpected error", config.syncRun(), e);
      err.println(
          "synclog stopped "
              + config.syncRun()
              + " on an unexpected error: "
              + e
              + "\nIts tables are safe: rerun the batch (or that run) to finish it.");
      return new Outcome(line, config.syncRun(), "failed: unexpected error", 3, seconds(start));
    }
  }

  /** Every line's settings, resolved and checked before any run; all problems listed at once. */
  private List<SyncConfig> resolve() {
    List<SyncConfig> configs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<SyncRun, Integer> seen = new HashMap<>();
    for (BatchManifest.Entry entry : manifest.entries()) {
      String lineMaster =
          entry
              .settings()
              .getOrDefault(
                  ConfigKeys.SPARK_MASTER.name(),
                  entry.configFile().getOrDefault(ConfigKeys.SPARK_MASTER.name(), master));
      if (!lineMaster.equals(master)) {
        problems.add(
            problem(
                entry,
                "spark.master="
                    + lineMaster
                    + " differs from the batch's ("
                    + master
                    + "): one application has one master; set it once, on the command line or"
                    + " in --config"));
        continue;
      }
      try {
        SyncConfig config = SyncConfig.resolve(sources(entry), SyncConfig.Need.RUN);
        Integer earlier = seen.putIfAbsent(config.syncRun(), entry.line());
        if (earlier != null) {
          problems.add(problem(entry, "it repeats " + config.syncRun() + " of line " + earlier));
        }
        configs.add(config);
      } catch (SyncLogException e) {
        problems.add(problem(entry, e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw Errors.invalidBatch(manifest.path().toString(), problems);
    }
    return configs;
  }

  /** The batch's layers, each with the line's settings over the batch's own. */
  private ConfigSources sources(BatchManifest.Entry entry) {
    Map<String, String> file = new LinkedHashMap<>(shared.file());
    file.putAll(entry.configFile());
    Map<String, String> commandLine = new LinkedHashMap<>(shared.commandLine());
    commandLine.putAll(entry.settings());
    return new ConfigSources(file, shared.sparkConf(), shared.env(), commandLine);
  }

  private static String problem(BatchManifest.Entry entry, String message) {
    return "  line " + entry.line() + ": " + message.replace("\n", "\n    ");
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** The batch's table: one line per run started, then the totals. */
  static String render(List<Outcome> outcomes, int listed, double seconds) {
    StringBuilder sb = new StringBuilder();
    long failed = outcomes.stream().filter(Outcome::failed).count();
    long already =
        outcomes.stream().filter(o -> o.outcome().equals(RunSummary.ALREADY_RECORDED)).count();
    sb.append(
        String.format(
            "synclog: batch of %d run(s): %d recorded, %d already recorded, %d failed",
            listed, outcomes.size() - failed - already, already, failed));
    if (outcomes.size() < listed) {
      sb.append(String.format(", %d not started", listed - outcomes.size()));
    }
    sb.append(String.format(" (%.1f s)%n", seconds));
    int syncWidth = width(outcomes, o -> o.run().syncId(), "sync");
    int runWidth = width(outcomes, o -> o.run().runId(), "run");
    String format = "  %5s  %-" + syncWidth + "s  %-" + runWidth + "s  %8s  %s%n";
    sb.append(String.format(format, "line", "sync", "run", "seconds", "outcome"));
    for (Outcome o : outcomes) {
      sb.append(
          String.format(
              format,
              o.line(),
              o.run().syncId(),
              o.run().runId(),
              String.format("%.1f", o.seconds()),
              o.outcome()));
    }
    return sb.toString();
  }

  private static int width(
      List<Outcome> outcomes, java.util.function.Function<Outcome, String> f, String header) {
    return Math.max(
        header.length(), outcomes.stream().mapToInt(o -> f.apply(o).length()).max().orElse(0));
  }
}
