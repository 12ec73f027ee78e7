package io.synclog.reliability;

import static io.synclog.log.LogTables.CHANGELOG;
import static io.synclog.log.LogTables.RUNS;
import static io.synclog.log.LogTables.SNAPSHOT;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.job.RunSummary;
import io.synclog.sink.DeltaTarget;
import io.synclog.sink.FaultHook;
import io.synclog.sink.References;
import io.synclog.sink.SinkHarness;
import io.synclog.sink.SinkTarget;
import io.synclog.sink.postgres.PostgresTarget;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import io.synclog.testing.SyncHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Concurrent load from separate JVMs into one schema: {@code load.syncs} syncs (8) of {@code
 * load.runs} runs (5) each, every sync's runs in order and all syncs at once, each run a {@code
 * record} in a JVM of its own; the tables must equal the same runs recorded one after another. Then
 * four runs of one sync started together: one records, three are refused, nothing else is written.
 * Not part of the suite (its name is not a test's); {@code jobs/concurrent-load} runs it.
 */
@ExtendWith(SparkExtension.class)
class ConcurrentLoadTrial {
  private static final int SYNCS = Integer.getInteger("load.syncs", 8);
  private static final int RUNS_PER_SYNC = Integer.getInteger("load.runs", 5);
  private static final int ROWS = Integer.getInteger("load.rows", 200);
  private static final LocalDate DAY_ONE = LocalDate.of(2026, 3, 1);
  private static final long TIMEOUT_MS = 60 * 60_000;
  private static final Path OUT = Path.of("target", "concurrent-load");
  private static final Pattern RETRIED =
      Pattern.compile("concurrent write by another sync|raced another sync");

  @Test
  void deltaByPath() throws Exception {
    load(DeltaTarget.INSTANCE);
  }

  @Test
  void postgres() throws Exception {
    load(PostgresTarget.INSTANCE);
  }

  /** Run {@code r} (1-based) of a sync: a tenth of the rows absent in turn, some emails changed. */
  private static List<Row> model(int sync, int run) {
    List<Row> rows = new ArrayList<>();
    for (long id = 1; id <= ROWS; id++) {
      if ((id + run) % 10 != 0) {
        rows.add(Rows.row(id, email(sync, id, run), id % 3 == 0 ? "pro" : "free"));
      }
    }
    return rows;
  }

  private static String email(int sync, long id, int run) {
    return "u" + id + "." + sync + (id % 5 == run % 5 ? ".v" + run : "") + "@x.io";
  }

  /**
   * The engine's statuses for exactly the run's plan: every row added, changed or removed. Rows
   * fail only in the last run, so no run has failed rows to retry.
   */
  private static List<Row> statuses(int sync, int run) {
    Map<Long, String> before = new LinkedHashMap<>();
    if (run > 1) {
      model(sync, run - 1).forEach(r -> before.put(r.getLong(0), r.getString(1)));
    }
    Map<Long, String> now = new LinkedHashMap<>();
    model(sync, run).forEach(r -> now.put(r.getLong(0), r.getString(1)));
    List<Row> out = new ArrayList<>();
    for (long id = 1; id <= ROWS; id++) {
      boolean planned =
          before.containsKey(id) != now.containsKey(id)
              || (now.containsKey(id) && !now.get(id).equals(before.get(id)));
      if (planned) {
        out.add(
            run == RUNS_PER_SYNC && id % 17 == 0
                ? Rows.row(String.valueOf(id), "failed", "rejected by the destination")
                : Rows.row(String.valueOf(id), "succeeded", null));
      }
    }
    return out;
  }

  private static Map<String, String> inputs(int sync, int run) {
    Path dir = References.dir().resolve("load-inputs/s" + sync + "/r" + run);
    if (!Files.isDirectory(dir)) {
      Rows.frame(SyncHarness.CUSTOMER, model(sync, run))
          .write()
          .parquet(dir.resolve("model").toString());
      Rows.frame(SyncHarness.STATUS, statuses(sync, run))
          .write()
          .parquet(dir.resolve("statuses").toString());
    }
    return Map.of(
        "model.path",
        dir.resolve("model").toString(),
        "statuses.path",
        dir.resolve("statuses").toString(),
        "run.started-at",
        "2026-03-0" + run + "T10:00:00Z",
        "run.finished-at",
        "2026-03-0" + run + "T10:10:00Z");
  }

  private static List<String> args(SinkHarness h, String runId, Map<String, String> extra) {
    List<String> args = new ArrayList<>(List.of("record", "--verbose"));
    h.settings(runId, extra).forEach((k, v) -> args.add("--" + k + "=" + v));
    return args;
  }

  private static Map<String, String> env(SinkTarget target) {
    Map<String, String> env = new LinkedHashMap<>();
    target
        .secrets()
        .forEach(
            (k, v) -> env.put("SYNCLOG_" + k.toUpperCase().replace('.', '_').replace('-', '_'), v));
    return env;
  }

  private static int retries(Path log) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    int n = 0;
    for (String line : Files.readAllLines(log)) {
      Matcher m = RETRIED.matcher(line);
      if (m.find()) {
        n++;
      }
    }
    return n;
  }

  private static void load(SinkTarget target) throws Exception {
    for (int s = 1; s <= SYNCS; s++) {
      for (int r = 1; r <= RUNS_PER_SYNC; r++) {
        inputs(s, r);
      }
    }
    String together = References.namespace("load");
    List<String> failures = new CopyOnWriteArrayList<>();
    List<Integer> conflicts = new CopyOnWriteArrayList<>();
    long started = System.nanoTime();
    ExecutorService lanes = Executors.newFixedThreadPool(SYNCS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int s = 1; s <= SYNCS; s++) {
        int sync = s;
        done.add(
            lanes.submit(
                () -> {
                  SinkHarness h = new SinkHarness(References.dir(), target, together, "s" + sync);
                  for (int r = 1; r <= RUNS_PER_SYNC; r++) {
                    Path log = OUT.resolve(target.kind() + "-s" + sync + "-r" + r + ".log");
                    ChildCommand child =
                        ChildCommand.start(args(h, "r" + r, inputs(sync, r)), env(target), log);
                    int code = child.await(TIMEOUT_MS);
                    conflicts.add(retries(log));
                    if (code != 0) {
                      failures.add("s" + sync + "/r" + r + " exited " + code + ", see " + log);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      lanes.shutdownNow();
    }
    double togetherSeconds = (System.nanoTime() - started) / 1e9;

    String inTurn = References.namespace("load_in_turn");
    started = System.nanoTime();
    for (int s = 1; s <= SYNCS; s++) {
      SinkHarness h = new SinkHarness(References.dir(), target, inTurn, "s" + s);
      for (int r = 1; r <= RUNS_PER_SYNC; r++) {
        h.record("r" + r, inputs(s, r), FaultHook.NONE);
      }
    }
    double inTurnSeconds = (System.nanoTime() - started) / 1e9;

    List<String> differences = new ArrayList<>();
    for (String table : List.of(CHANGELOG, SNAPSHOT, RUNS)) {
      List<String> expected = target.rows(inTurn, table);
      List<String> actual = target.rows(together, table);
      if (!expected.equals(actual)) {
        differences.add(
            table + ": expected " + expected.size() + " rows, actual " + actual.size() + " rows");
      }
    }
    String race = race(target);
    String line =
        String.format(
            "LOAD target=%s syncs=%d runs=%d rows=%d recorded=%d failed=%d conflicts_retried=%d"
                + " together_s=%.1f in_turn_s=%.1f tables_equal=%s%n%s%n",
            target.kind(),
            SYNCS,
            RUNS_PER_SYNC,
            ROWS,
            SYNCS * RUNS_PER_SYNC - failures.size(),
            failures.size(),
            conflicts.stream().mapToInt(Integer::intValue).sum(),
            togetherSeconds,
            inTurnSeconds,
            differences.isEmpty(),
            race);
    System.out.print(line);
    Files.createDirectories(OUT);
    Files.writeString(OUT.resolve(target.kind() + ".txt"), line);

    assertThat(failures).as("runs that failed").isEmpty();
    assertThat(differences).as("tables unlike the runs recorded one after another").isEmpty();
    assertThat(race).startsWith("RACE").contains("recorded=1 refused=3 runs_rows=1 lock=free");
  }

  /** Four runs of one sync started together in four JVMs. */
  private static String race(SinkTarget target) throws Exception {
    String ns = References.namespace("race");
    SinkHarness h = new SinkHarness(References.dir(), target, ns, "race");
    List<ChildCommand> children = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      children.add(ChildCommand.start(args(h, "r" + i, inputs(1, 1)), env(target), log(target, i)));
    }
    int recorded = 0;
    int refused = 0;
    List<String> outcomes = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      ChildCommand child = children.get(i - 1);
      int code = child.await(TIMEOUT_MS);
      String output = child.output() + Files.readString(log(target, i));
      if (code == 0 && output.contains(RunSummary.RECORDED)) {
        recorded++;
        outcomes.add("recorded");
      } else if (code == 1
          && (output.contains("RUN_CONCURRENT")
              || output.contains("RUN_IN_PROGRESS")
              || output.contains("of the same sync"))) {
        refused++;
        outcomes.add("refused: " + firstLine(output, "of the same sync"));
      } else {
        outcomes.add("exit " + code + ": " + output);
      }
    }
    int runsRows = target.rows(ns, RUNS).size();
    boolean lockHeld = h.sink().heldLock("race").isPresent();
    return String.format(
        "RACE target=%s recorded=%d refused=%d runs_rows=%d lock=%s%n  %s",
        target.kind(),
        recorded,
        refused,
        runsRows,
        lockHeld ? "held" : "free",
        String.join("\n  ", outcomes));
  }

  private static Path log(SinkTarget target, int racer) {
    return OUT.resolve(target.kind() + "-race-" + racer + ".log");
  }

  private static String firstLine(String output, String containing) {
    return output.lines().filter(l -> l.contains(containing)).findFirst().orElse(output);
  }
}
