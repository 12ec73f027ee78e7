package io.synclog.reliability;

import static io.synclog.log.LogTables.CHANGELOG;
import static io.synclog.log.LogTables.RUNS;
import static io.synclog.log.LogTables.SNAPSHOT;

import io.synclog.error.SyncLogException;
import io.synclog.log.LogTables;
import io.synclog.plan.Columns;
import io.synclog.sink.FaultHook;
import io.synclog.sink.References;
import io.synclog.sink.Scenario;
import io.synclog.sink.SinkHarness;
import io.synclog.sink.SinkTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Kills {@code record} or {@code plan} with SIGKILL while it runs in a JVM of its own, reruns the
 * same run id in this JVM with no {@code unlock}, and compares the three tables with those of the
 * same run recorded without interruption.
 *
 * <p>Every trial starts from a namespace holding the first run of the golden {@link Scenario}; the
 * killed run is its second (adds, changes, removals, failures). The expected tables are that run
 * recorded here without interruption. Kills at random moments are spread over the time an
 * uninterrupted child JVM took, whose tables must be the expected ones too.
 */
final class KillTrials {
  static final String RECORD = "record";
  static final String PLAN = "plan";
  private static final Scenario.Step HISTORY = Scenario.STEPS.get(0);
  private static final Scenario.Step KILLED = Scenario.STEPS.get(1);
  private static final long CHILD_TIMEOUT_MS = 10 * 60_000;

  /** The stages of each command, in the order its progress lines name them. */
  static final List<String> RECORD_STAGES =
      List.of(
          "read inputs",
          "prepare tables",
          "check run",
          "check lock",
          "check hashes",
          "check schema",
          "diff",
          "check statuses",
          "claim sync",
          "fetch fields",
          "count",
          "write tables",
          "release sync");

  static final List<String> PLAN_STAGES =
      List.of(
          "read inputs",
          "prepare tables",
          "check lock",
          "check schema",
          "check hashes",
          "diff",
          "claim sync",
          "store plan");

  /** An uninterrupted run of a command in a child JVM: its stages, with their end times. */
  record Timeline(List<ChildCommand.Stage> stages, long totalMs) {
    List<String> order() {
      return stages.stream().map(ChildCommand.Stage::name).toList();
    }
  }

  /** One kill and its rerun, with what the tables showed afterwards. */
  record Trial(
      int number,
      String command,
      long killAtMs,
      String stage,
      boolean killed,
      String rerun,
      int mismatches,
      int duplicates,
      int snapshotWithoutChangelog,
      boolean lockHeld,
      int leftovers) {
    boolean clean() {
      return !rerun.startsWith("failed")
          && mismatches == 0
          && duplicates == 0
          && snapshotWithoutChangelog == 0
          && !lockHeld
          && leftovers == 0;
    }

    String line() {
      return String.format(
          "%-3d %-6s %7d ms  %-22s %-7s %-48s mismatched=%d duplicates=%d orphans=%d lock=%s"
              + " leftovers=%d",
          number,
          command,
          killAtMs,
          stage,
          killed ? "killed" : "ended",
          rerun,
          mismatches,
          duplicates,
          snapshotWithoutChangelog,
          lockHeld ? "held" : "free",
          leftovers);
    }
  }

  private final SinkTarget target;
  private final Path logs;
  private final Map<String, Timeline> timelines = new LinkedHashMap<>();
  private List<String> expected;

  KillTrials(SinkTarget target, Path logs) {
    this.target = target;
    this.logs = logs;
  }

  private SinkHarness harness(String namespace) {
    return new SinkHarness(References.dir(), target, namespace, "s1");
  }

  /** A namespace holding the first run, with the second run's inputs written. */
  private SinkHarness prepared(String hint) {
    SinkHarness h = harness(References.namespace(hint));
    h.run(HISTORY, FaultHook.NONE);
    h.model(KILLED.runId(), KILLED.model());
    h.statuses(KILLED.runId(), KILLED.statuses());
    return h;
  }

  private ChildCommand start(SinkHarness h, String command, String name) {
    List<String> args = new ArrayList<>();
    args.add(command);
    h.settings(KILLED.runId(), KILLED.times()).forEach((k, v) -> args.add("--" + k + "=" + v));
    Map<String, String> env = new LinkedHashMap<>();
    target.secrets().forEach((k, v) -> env.put(envVar(k), v));
    return ChildCommand.start(args, env, logs.resolve(name + ".log"));
  }

  private static String envVar(String key) {
    return "SYNCLOG_" + key.toUpperCase().replace('.', '_').replace('-', '_');
  }

  /** The tables after the killed run is recorded here without interruption. */
  List<String> expected() {
    if (expected == null) {
      SinkHarness h = prepared(target.kind() + "_kill_ref");
      h.rerun(KILLED, FaultHook.NONE);
      expected = tables(h.namespace());
    }
    return expected;
  }

  /**
   * Runs a command without interruption in a child JVM, for its stages' times, and checks that it
   * ends with the expected tables ({@code plan} followed by {@code record} here).
   */
  Timeline timeline(String command) throws InterruptedException {
    Timeline known = timelines.get(command);
    if (known != null) {
      return known;
    }
    SinkHarness h = prepared(target.kind() + "_kill_" + command);
    ChildCommand child = start(h, command, target.kind() + "-uninterrupted-" + command);
    int code = child.await(CHILD_TIMEOUT_MS);
    require(
        code == 0,
        "the uninterrupted " + command + " exited with " + code + ":\n" + child.output());
    Timeline timeline = new Timeline(child.stages(), child.elapsedMs());
    List<String> order = command.equals(PLAN) ? PLAN_STAGES : RECORD_STAGES;
    require(
        timeline.order().equals(order),
        command + " named other stages than " + order + ": " + timeline.order());
    if (command.equals(PLAN)) {
      h.rerun(KILLED, FaultHook.NONE);
    }
    List<String> actual = tables(h.namespace());
    require(
        actual.equals(expected()),
        "the uninterrupted "
            + command
            + " in a JVM of its own gave other tables:\n  expected "
            + expected()
            + "\n  actual   "
            + actual);
    timelines.put(command, timeline);
    return timeline;
  }

  Map<String, Timeline> timelines() {
    return Map.copyOf(timelines);
  }

  /** A kill {@code delayMs} after the command finished the stage before {@code stage}. */
  Trial killDuring(int number, String command, String stage, long delayMs)
      throws InterruptedException {
    List<String> order = command.equals(PLAN) ? PLAN_STAGES : RECORD_STAGES;
    int i = order.indexOf(stage);
    require(i > 0, "no stage before '" + stage + "' in " + order);
    return trial(
        number,
        command,
        order,
        child -> {
          long from = child.awaitStage(order.get(i - 1), CHILD_TIMEOUT_MS);
          return from < 0 ? 0 : from + delayMs;
        });
  }

  /** A kill {@code fraction} of an uninterrupted run's whole time after the JVM started. */
  Trial killAt(int number, String command, double fraction) throws InterruptedException {
    Timeline timeline = timeline(command);
    long at = Math.round(fraction * timeline.totalMs());
    return trial(number, command, timeline.order(), child -> at);
  }

  private interface Moment {
    long pick(ChildCommand child) throws InterruptedException;
  }

  private Trial trial(int number, String command, List<String> order, Moment moment)
      throws InterruptedException {
    List<String> expected = expected();
    SinkHarness h = prepared(target.kind() + "_kill");
    ChildCommand child = start(h, command, target.kind() + "-trial-" + number);
    long at = moment.pick(child);
    boolean killed = child.killAt(at);
    String stage = killed ? child.stageAt(at, order) : "(ended first)";

    String rerun;
    try {
      if (command.equals(PLAN)) {
        String planned = h.plan(KILLED, FaultHook.NONE).outcome();
        rerun = "plan " + planned + "; record " + h.rerun(KILLED, FaultHook.NONE).outcome();
      } else {
        rerun = h.rerun(KILLED, FaultHook.NONE).outcome();
      }
    } catch (SyncLogException e) {
      rerun = "failed " + e.code() + ": " + e.getMessage().lines().findFirst().orElse("");
    }
    List<String> actual = tables(h.namespace());
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(actual);
    List<String> extra = new ArrayList<>(actual);
    extra.removeAll(expected);
    if (!missing.isEmpty() || !extra.isEmpty()) {
      System.out.println(
          "trial " + number + ": expected but missing " + missing + "\n  unexpected " + extra);
    }
    return new Trial(
        number,
        command,
        at,
        stage,
        killed,
        rerun,
        missing.size() + extra.size(),
        duplicates(h.namespace()),
        snapshotWithoutChangelog(h.namespace()),
        h.sink().heldLock("s1").isPresent(),
        target.leftovers(h.namespace()).size());
  }

  /** The three tables' canonical rows, each prefixed with its table's name. */
  private List<String> tables(String namespace) {
    List<String> out = new ArrayList<>();
    for (String table : List.of(CHANGELOG, SNAPSHOT, RUNS)) {
      target.rows(namespace, table).forEach(r -> out.add(table + ": " + r));
    }
    return out;
  }

  /** Changelog rows beyond the first for one sync, run and row. */
  private int duplicates(String namespace) {
    int run = column(LogTables.changelogSchema(false), Columns.SYNC_RUN_ID);
    int row = column(LogTables.changelogSchema(false), Columns.ROW_ID);
    Set<String> seen = new HashSet<>();
    int duplicates = 0;
    for (String line : target.rows(namespace, CHANGELOG)) {
      String[] p = line.split("\\|", -1);
      if (!seen.add(p[run] + "|" + p[row])) {
        duplicates++;
      }
    }
    return duplicates;
  }

  /** Snapshot rows last written by the killed run that have no changelog row of that run. */
  private int snapshotWithoutChangelog(String namespace) {
    int logRun = column(LogTables.changelogSchema(false), Columns.SYNC_RUN_ID);
    int logRow = column(LogTables.changelogSchema(false), Columns.ROW_ID);
    Set<String> logged = new HashSet<>();
    for (String line : target.rows(namespace, CHANGELOG)) {
      String[] p = line.split("\\|", -1);
      logged.add(p[logRun] + "|" + p[logRow]);
    }
    int run = column(LogTables.snapshotSchema(false), Columns.LAST_SYNC_RUN_ID);
    int row = column(LogTables.snapshotSchema(false), Columns.ROW_ID);
    int orphans = 0;
    for (String line : target.rows(namespace, SNAPSHOT)) {
      String[] p = line.split("\\|", -1);
      if (p[run].equals(KILLED.runId()) && !logged.contains(p[run] + "|" + p[row])) {
        orphans++;
      }
    }
    return orphans;
  }

  /** A column's position in the canonical rows, which leave out {@code recorded_at}. */
  private static int column(StructType schema, String name) {
    int i = 0;
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return i;
      }
      if (!f.name().equals("recorded_at")) {
        i++;
      }
    }
    throw new IllegalArgumentException(name);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
