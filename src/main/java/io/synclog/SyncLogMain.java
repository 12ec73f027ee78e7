package io.synclog;

import io.synclog.config.ConfigKey;
import io.synclog.config.ConfigKeys;
import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.demo.DemoJob;
import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import io.synclog.job.BatchManifest;
import io.synclog.job.BatchRecord;
import io.synclog.job.CommandLine;
import io.synclog.job.PlanJob;
import io.synclog.job.Progress;
import io.synclog.job.PruneJob;
import io.synclog.job.RecordJob;
import io.synclog.job.SparkSessions;
import io.synclog.log.SyncRun;
import io.synclog.report.ReportJob;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.PruneResult;
import io.synclog.sink.PruneScope;
import io.synclog.sink.RunLock;
import io.synclog.sink.Sinks;
import io.synclog.views.CompatViewsJob;
import io.synclog.views.ViewsJob;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The entry point: parses the command line, builds the config once, and runs one command. */
public final class SyncLogMain {
  private static final Logger LOG = LoggerFactory.getLogger("io.synclog");

  private SyncLogMain() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err, System.getenv());
    if (code != 0) {
      if (System.getenv("DATABRICKS_RUNTIME_VERSION") != null) {
        // A Databricks task must not call System.exit: fail the task by throwing instead.
        throw new IllegalStateException("synclog failed with exit code " + code);
      }
      System.exit(code);
    }
  }

  /**
   * Runs one command; returns the process exit code: 0 done, 1 bad input or a refusal, 2 bad usage,
   * 3 an unexpected error, 4 a fault injected on purpose ({@code fault.inject-at}).
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    CommandLine cli;
    try {
      cli = CommandLine.parse(args);
    } catch (SyncLogException e) {
      err.println(e.getMessage());
      return 2;
    }
    if (cli.command().equals("help")) {
      out.print(help());
      return 0;
    }
    try {
      Map<String, String> file =
          cli.configFile() == null ? Map.of() : ConfigSources.readFile(Path.of(cli.configFile()));
      String master =
          cli.overrides()
              .getOrDefault(
                  ConfigKeys.SPARK_MASTER.name(),
                  file.getOrDefault(
                      ConfigKeys.SPARK_MASTER.name(), ConfigKeys.SPARK_MASTER.defaultValue()));
      try (SparkSessions.Handle handle = SparkSessions.getOrCreate(master)) {
        SparkSession spark = handle.spark();
        ConfigSources sources =
            new ConfigSources(
                file,
                ConfigSources.fromSparkConf(sparkConf(spark)),
                ConfigSources.fromEnv(env),
                cli.overrides());
        if (cli.batch() != null) {
          return batch(cli, sources, master, spark, out, err);
        }
        return dispatch(cli, sources, spark, out);
      }
    } catch (SyncLogException e) {
      err.println(e.getMessage());
      return e.exitCode();
    } catch (Exception e) {
      LOG.error("synclog stopped on an unexpected error", e);
      err.println(
          "synclog stopped on an unexpected error: "
              + e
              + "\nThe tables are safe: rerun the same run to finish it. If it repeats, report it"
              + " with the log above.");
      return 3;
    }
  }

  /**
   * Stage progress on {@code out}, overwriting one line on a terminal; with {@code --verbose} the
   * stage log at INFO instead.
   */
  private static Progress progress(CommandLine cli, PrintStream out) {
    if (cli.verbose()) {
      Configurator.setLevel("io.synclog", Level.INFO);
      return Progress.NONE;
    }
    return Progress.console(out, System.console() != null);
  }

  /**
   * {@code record --batch FILE}: 0 when every run is recorded (or already was), else the exit code
   * of the first run that failed.
   */
  private static int batch(
      CommandLine cli,
      ConfigSources sources,
      String master,
      SparkSession spark,
      PrintStream out,
      PrintStream err) {
    BatchManifest manifest = BatchManifest.read(Path.of(cli.batch()));
    List<BatchRecord.Outcome> outcomes =
        new BatchRecord(spark, manifest, sources, master)
            .reportingTo(() -> progress(cli, out))
            .failFast(cli.failFast())
            .parallel(cli.parallel())
            .run(out, err);
    return outcomes.stream()
        .filter(BatchRecord.Outcome::failed)
        .mapToInt(BatchRecord.Outcome::exitCode)
        .findFirst()
        .orElse(0);
  }

  private static int dispatch(
      CommandLine cli, ConfigSources sources, SparkSession spark, PrintStream out) {
    switch (cli.command()) {
      case "record", "plan" -> {
        SyncConfig config =
            SyncConfig.resolve(
                sources, cli.command().equals("plan") ? SyncConfig.Need.PLAN : SyncConfig.Need.RUN);
        LOG.info("synclog {} with configuration:\n{}", cli.command(), config.describe());
        LogSink sink = Sinks.open(spark, config);
        FaultHook hook = FaultHook.configured(config);
        Progress progress = progress(cli, out);
        var summary =
            cli.command().equals("record")
                ? new RecordJob(spark, config, sink, hook).reportingTo(progress).run()
                : new PlanJob(spark, config, sink, hook).reportingTo(progress).run();
        progress.end();
        out.print(summary.render());
        return 0;
      }
      case "prune" -> {
        if (cli.olderThan() == null) {
          throw Errors.badUsage("prune needs --older-than, for example --older-than 90d.");
        }
        Duration age = PruneJob.parseDuration(cli.olderThan());
        SyncConfig config = SyncConfig.resolve(sources, SyncConfig.Need.TARGET);
        PruneScope scope;
        if (cli.allSyncs()) {
          scope = PruneScope.ALL_SYNCS;
        } else if (config.syncId() != null) {
          scope = PruneScope.sync(config.syncId());
        } else {
          throw Errors.badUsage(
              "prune needs the sync to prune: name it with --sync.id=... (or sync.id in the config"
                  + " file), or pass --all-syncs to prune every sync in the schema.");
        }
        LogSink sink = Sinks.open(spark, config);
        Instant cutoff = PruneJob.cutoff(Instant.now(), age);
        PruneResult result = PruneJob.run(sink, cutoff, scope);
        out.print(PruneJob.render(sink, scope, cutoff, cli.olderThan(), result));
        return 0;
      }
      case "unlock" -> {
        SyncConfig config = SyncConfig.resolve(sources, SyncConfig.Need.SYNC);
        String runId =
            config
                .optional(ConfigKeys.RUN_ID)
                .orElseThrow(() -> Errors.badUsage("unlock needs --run.id of the run to release."));
        LogSink sink = Sinks.open(spark, config);
        sink.prepare();
        SyncRun run = new SyncRun(config.syncId(), runId);
        RunLock held = sink.heldLock(config.syncId()).orElseThrow(() -> Errors.unlockNothing(run));
        if (!held.runId().equals(runId)) {
          throw Errors.unlockOther(run, held.runId());
        }
        sink.release(held);
        out.printf(
            "synclog: released sync '%s' from run '%s' (its stored plan, if any, is dropped)%n",
            config.syncId(), runId);
        return 0;
      }
      case "report" -> {
        SyncConfig config = SyncConfig.resolve(sources, SyncConfig.Need.SYNC);
        int runs = ReportJob.RUNS_DEFAULT;
        if (cli.runs() != null) {
          try {
            runs = Integer.parseInt(cli.runs().trim());
          } catch (NumberFormatException e) {
            throw Errors.badUsage("--runs takes a whole number, not '" + cli.runs() + "'.");
          }
          if (runs < 1) {
            throw Errors.badUsage("--runs takes a number of runs of at least 1.");
          }
        }
        Path output =
            Path.of(
                cli.output() != null
                    ? cli.output()
                    : "synclog-report-"
                        + config.syncId().replaceAll("[^A-Za-z0-9_.-]", "_")
                        + ".html");
        ReportJob.run(spark, config, config.syncId(), runs, output, out);
        return 0;
      }
      case "views" -> {
        SyncConfig config = SyncConfig.resolve(sources, SyncConfig.Need.TARGET);
        if (cli.compat() != null) {
          CompatViewsJob.run(spark, config, cli.compat(), cli.compatSchema(), out);
        } else {
          ViewsJob.run(spark, config, out);
        }
        return 0;
      }
      case "demo" -> {
        SyncConfig config = SyncConfig.resolve(sources, SyncConfig.Need.TARGET);
        new DemoJob(spark, config, out).reportingTo(progress(cli, out)).run();
        return 0;
      }
      default -> throw Errors.badUsage("Unknown command '" + cli.command() + "'.");
    }
  }

  /**
   * The session's Spark conf (spark-submit --conf and cluster settings included), read through the
   * session rather than the SparkContext, which shared and Spark Connect compute do not expose.
   */
  private static Map<String, String> sparkConf(SparkSession spark) {
    return new java.util.HashMap<>(
        scala.collection.JavaConverters.mapAsJavaMap(spark.conf().getAll()));
  }

  static String help() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        """
        synclog: row-level audit logs of reverse-ETL syncs, kept in your warehouse.

        Usage: synclog <command> [--config FILE] [--verbose] [--key=value ...]

        A run prints one progress line per stage, its summary and warnings; --verbose prints the
        stage log (and the resolved configuration) instead.

        Commands:
          plan     diff the model against the sync's snapshot and store the plan (sync_plans)
          record   log one run: diff (or use the stored plan), merge statuses, write the tables
                   --batch FILE [--parallel N] [--fail-fast]: log every run the manifest lists
                   (one per line: config=FILE run.id=... statuses.path=...) in one application
          prune    --older-than 90d [--all-syncs]: delete the sync's (sync.id) changelog and runs
                   rows of runs older than that, keeping its latest run whole; --all-syncs: of
                   every sync in the schema
          unlock   release a sync held by an abandoned run (--sync.id, --run.id)
          report   --sync.id S [--runs 30] [--output FILE]: an HTML report of the sync's latest runs
          views    create the v_* SQL views over the tables in the target.schema database (Delta)
                   --compat hightouch [--compat-schema hightouch_audit]: instead, views named and
                   shaped like Hightouch's audit tables, on every target
          demo     run a generated model through several runs and answer example questions
          help     this text

        Settings (defaults < config file < spark.synclog.* < SYNCLOG_* env < --key=value):
        """);
    for (ConfigKey key : ConfigKeys.ALL.values()) {
      sb.append(String.format("  %-24s %s", key.name(), key.doc()));
      if (key.defaultValue() != null) {
        sb.append(" [default: ").append(key.defaultValue()).append(']');
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
