package io.synclog.job;

import static io.synclog.testing.Rows.row;
import static io.synclog.testing.SyncHarness.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.config.ConfigKeys;
import io.synclog.error.SyncLogException;
import io.synclog.log.LogTables;
import io.synclog.sink.FaultHook;
import io.synclog.sink.References;
import io.synclog.sink.SinkHarness;
import io.synclog.sink.SinkTarget;
import io.synclog.sink.postgres.PostgresTarget;
import io.synclog.testing.Folders;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import io.synclog.testing.SyncHarness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pruning history is safe: later runs come out exactly as if nothing had been pruned. Prune takes
 * one sync, or every sync with --all-syncs, and keeps each pruned sync's latest run whole.
 */
@ExtendWith(SparkExtension.class)
class PruneTest {
  @TempDir Path dir;

  private static final List<List<Row>> MODELS =
      List.of(
          list(row(1L, "a@x.io", "free"), row(2L, "b@x.io", "free"), row(3L, "c@x.io", "free")),
          list(row(1L, "a@x.io", "pro"), row(2L, "b@x.io", "free")),
          list(row(1L, "a@x.io", "pro"), row(2L, "b@x.io", "pro"), row(4L, "d@x.io", "pro")));
  private static final List<List<Row>> STATUSES =
      List.of(
          list(
              row("1", "succeeded", null),
              row("2", "failed", "LOCKED"),
              row("3", "succeeded", null)),
          list(
              row("1", "succeeded", null), row("2", "succeeded", null), row("3", "failed", "NOPE")),
          list(
              row("2", "succeeded", null),
              row("3", "succeeded", null),
              row("4", "succeeded", null)));

  private static void run(SyncHarness h, int i) {
    String runId = "r" + (i + 1);
    h.model(runId, MODELS.get(i));
    h.statuses(runId, STATUSES.get(i));
    h.record(
        runId,
        Map.of(
            "run.started-at",
            "2026-0" + (i + 1) + "-01T00:00:00Z",
            "run.finished-at",
            "2026-0" + (i + 1) + "-01T00:10:00Z"),
        FaultHook.NONE);
  }

  @Test
  void laterRunsAreUnaffectedByPruning() throws Exception {
    SyncHarness pruned = new SyncHarness(dir.resolve("a"), "s");
    for (int i = 0; i < 2; i++) {
      run(pruned, i);
    }
    // the same history, left unpruned: a copy of the folder, tables and inputs
    Folders.copy(dir.resolve("a"), dir.resolve("b"));
    SyncHarness kept = new SyncHarness(dir.resolve("b"), "s");
    long r1Rows = pruned.table("sync_changelog").where("sync_run_id = 'r1'").count();

    // Everything before today is older than a day: prune it all, but the sync's latest run stays
    // whole, its runs row with its changelog rows. The settings come from a config file.
    Path conf = dir.resolve("prune.properties");
    Files.writeString(conf, "sync.id=s\ntarget.location=" + dir.resolve("a/warehouse") + "\n");
    Cli cli = cli(List.of("prune", "--older-than", "1d", "--config", conf.toString()), Map.of());
    String printed = cli.out();
    assertThat(cli.code()).as(cli.err()).isZero();
    String tables = "\\S*" + Pattern.quote(dir.resolve("a/warehouse/sync_audit").toString());
    assertThat(printed)
        .as("r1 (%d changelog rows) is deleted; r2, the latest, is kept", r1Rows)
        .matches(
            "synclog: pruned sync 's' in Delta tables under \\S+: runs started before"
                + " \\S+Z \\(older than 1d\\)\n"
                + "  "
                + tables
                + "/sync_changelog: "
                + r1Rows
                + " row\\(s\\) deleted\n"
                + "  "
                + tables
                + "/sync_runs: +1 row\\(s\\) deleted\n"
                + "  kept: the sync's latest run with its changelog rows, however old; the"
                + " snapshot\n");
    String cutoff =
        cli.before().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1)).toString();
    assertThat(printed.substring(printed.indexOf("before ") + 7, printed.indexOf(" (older")))
        .as("the cutoff, to the second, a day before the command ran")
        .isGreaterThanOrEqualTo(cutoff);
    assertThat(Rows.lines(pruned.table("sync_changelog"), "sync_run_id"))
        .containsOnly("r2")
        .hasSize((int) kept.table("sync_changelog").where("sync_run_id = 'r2'").count());
    assertThat(Rows.lines(pruned.table("sync_runs"), "sync_run_id")).containsExactly("r2");

    run(pruned, 2);
    run(kept, 2);
    String[] snapshotColumns = {
      "row_id", "op_type", "status", "failed_reason", "fields", "in_destination"
    };
    assertThat(Rows.lines(pruned.table("sync_snapshot"), snapshotColumns))
        .isEqualTo(Rows.lines(kept.table("sync_snapshot"), snapshotColumns));
    String[] changelogColumns = {
      "sync_run_id", "op_type", "row_id", "status", "failed_reason", "fields"
    };
    assertThat(Rows.lines(pruned.table("sync_changelog"), changelogColumns))
        .isEqualTo(
            Rows.lines(
                kept.table("sync_changelog").where("sync_run_id IN ('r2', 'r3')"),
                changelogColumns))
        .isNotEmpty();
    // Rerunning the newest run is still recognised after pruning.
    assertThat(pruned.record("r3").outcome()).isEqualTo(RunSummary.ALREADY_RECORDED);
  }

  /**
   * Two syncs of one schema, their runs started days before now. Sync a: a1, a2 and a3, all older
   * than the cutoff (10 days); sync b: b1 older, b2 and b3 newer. Pruning with a's sync id deletes
   * a1 and a2 with their changelog rows, keeps a3 whole although it is older than the cutoff, and
   * leaves b untouched; then --all-syncs deletes b1 the same way and nothing else. On PostgreSQL:
   * each target's own deletes are in the sink contract ({@code SinkContractTest}), Delta's prune
   * from the command line in {@link #laterRunsAreUnaffectedByPruning}.
   */
  @Test
  void pruningOneSyncLeavesTheOtherAndKeepsItsLatestRunWhole() {
    SinkTarget target = PostgresTarget.INSTANCE;
    String ns = References.namespace("prune_two_syncs");
    Instant now = Instant.now();
    SinkHarness a = new SinkHarness(dir, target, ns, "a");
    SinkHarness b = new SinkHarness(dir, target, ns, "b");
    record(a, "a1", 0, now.minus(Duration.ofDays(40)));
    record(b, "b1", 0, now.minus(Duration.ofDays(35)));
    record(a, "a2", 1, now.minus(Duration.ofDays(30)));
    record(a, "a3", 2, now.minus(Duration.ofDays(20)));
    record(b, "b2", 1, now.minus(Duration.ofDays(5)));
    record(b, "b3", 2, now.minus(Duration.ofDays(2)));
    List<String> changelog = target.rows(ns, LogTables.CHANGELOG);
    List<String> runs = target.rows(ns, LogTables.RUNS);
    List<String> snapshot = target.rows(ns, LogTables.SNAPSHOT);
    assertThat(perRun(changelog).keySet())
        .as("every run wrote changelog rows")
        .containsExactly("a|a1", "a|a2", "a|a3", "b|b1", "b|b2", "b|b3");
    assertThat(perRun(runs).values()).as("one runs row per run").containsOnly(1).hasSize(6);

    Cli first = pruneCli(target, ns, "--sync.id=a");
    assertThat(first.code()).as(first.err()).isZero();
    assertPruned(first, "sync 'a'", changelog, runs, "a|a1", "a|a2");
    List<String> changelogAfterA = without(changelog, "a|a1", "a|a2");
    List<String> runsAfterA = without(runs, "a|a1", "a|a2");
    assertThat(target.rows(ns, LogTables.CHANGELOG))
        .as("changelog after pruning sync a: a3's rows kept although older, b's untouched")
        .containsExactlyElementsOf(changelogAfterA);
    assertThat(target.rows(ns, LogTables.RUNS))
        .as("runs after pruning sync a: a3 kept, b's untouched")
        .containsExactlyElementsOf(runsAfterA);

    Cli all = pruneCli(target, ns, "--all-syncs");
    assertThat(all.code()).as(all.err()).isZero();
    assertPruned(all, "all syncs", changelogAfterA, runsAfterA, "b|b1");
    assertThat(target.rows(ns, LogTables.CHANGELOG))
        .as("changelog after pruning every sync: a3, b2 and b3")
        .containsExactlyElementsOf(without(changelogAfterA, "b|b1"));
    assertThat(target.rows(ns, LogTables.RUNS))
        .as("runs after pruning every sync: a3, b2 and b3")
        .containsExactlyElementsOf(without(runsAfterA, "b|b1"));
    assertThat(target.rows(ns, LogTables.SNAPSHOT))
        .as("the snapshot is never pruned")
        .containsExactlyElementsOf(snapshot);
  }

  private static void record(SinkHarness h, String runId, int step, Instant startedAt) {
    h.model(runId, MODELS.get(step));
    h.statuses(runId, STATUSES.get(step));
    h.record(
        runId,
        Map.of(
            "run.started-at",
            startedAt.toString(),
            "run.finished-at",
            startedAt.plusSeconds(600).toString()),
        FaultHook.NONE);
  }

  record Cli(int code, String out, String err, Instant before, Instant after) {}

  /** {@code prune --older-than 10d} on the namespace, the password from the environment. */
  private static Cli pruneCli(SinkTarget target, String ns, String scope) {
    List<String> args = new ArrayList<>(List.of("prune", "--older-than", "10d", scope));
    target.settings(ns).forEach((k, v) -> args.add("--" + k + "=" + v));
    Map<String, String> env = new LinkedHashMap<>();
    target.secrets().forEach((k, v) -> env.put(ConfigKeys.ALL.get(k).envVar(), v));
    return cli(args, env);
  }

  /** Runs synclog's command line, its output printed for the test's log and kept. */
  private static Cli cli(List<String> args, Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Instant before = Instant.now();
    int code =
        io.synclog.SyncLogMain.run(
            args.toArray(new String[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    Instant after = Instant.now();
    System.out.print(out.toString(StandardCharsets.UTF_8));
    return new Cli(
        code,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        before,
        after);
  }

  /**
   * The output names the scope, the cutoff (10 days before the command ran, to the second) and the
   * rows deleted from each table: those of the deleted runs.
   */
  private static void assertPruned(
      Cli cli, String scope, List<String> changelog, List<String> runs, String... deletedRuns) {
    Matcher m =
        Pattern.compile(
                "^synclog: pruned "
                    + Pattern.quote(scope)
                    + " in .+: runs started before (\\S+) \\(older than 10d\\)\n"
                    + "  (\\S+sync_changelog): +(\\d+) row\\(s\\) deleted\n"
                    + "  (\\S+sync_runs): +(\\d+) row\\(s\\) deleted\n"
                    + "  kept: .+ latest run with its changelog rows, however old; the snapshot\n$")
            .matcher(cli.out());
    assertThat(m.matches()).as("output:%n%s", cli.out()).isTrue();
    Instant cutoff = Instant.parse(m.group(1));
    assertThat(cutoff)
        .as("the cutoff: 10 days before the command ran, to the second")
        .isBetween(
            cli.before().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(10)),
            cli.after().minus(Duration.ofDays(10)));
    Map<String, Integer> changelogPerRun = perRun(changelog);
    long changelogRows = 0;
    for (String run : deletedRuns) {
      assertThat(changelogPerRun.get(run))
          .as("changelog rows of %s before pruning", run)
          .isPositive();
      changelogRows += changelogPerRun.get(run);
    }
    assertThat(Long.parseLong(m.group(3)))
        .as(
            "changelog rows deleted: those of %s, per run %s",
            List.of(deletedRuns), changelogPerRun)
        .isEqualTo(changelogRows);
    assertThat(Long.parseLong(m.group(5)))
        .as("runs rows deleted: %s", List.of(deletedRuns))
        .isEqualTo(deletedRuns.length);
  }

  /** Canonical rows (sync|run|...) counted per run, keyed "sync|run", in order. */
  private static Map<String, Integer> perRun(List<String> rows) {
    Map<String, Integer> out = new TreeMap<>();
    for (String row : rows) {
      String[] p = row.split("\\|", 3);
      out.merge(p[0] + "|" + p[1], 1, Integer::sum);
    }
    return out;
  }

  /** Canonical rows without those of some runs ("sync|run"). */
  private static List<String> without(List<String> rows, String... runs) {
    return rows.stream()
        .filter(row -> java.util.Arrays.stream(runs).noneMatch(run -> row.startsWith(run + "|")))
        .toList();
  }

  @Test
  void durationsAreParsedOrRefusedClearly() {
    assertThat(PruneJob.parseDuration("90d")).isEqualTo(Duration.ofDays(90));
    assertThat(PruneJob.parseDuration("2w")).isEqualTo(Duration.ofDays(14));
    assertThat(PruneJob.parseDuration("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(PruneJob.parseDuration(" 30M ")).isEqualTo(Duration.ofMinutes(30));
    assertThatThrownBy(() -> PruneJob.parseDuration("ninety days"))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("Cannot parse duration 'ninety days'")
        .hasMessageContaining("90d");
    List<String> args =
        List.of(
            "prune",
            "--older-than",
            "soon",
            "--sync.id=s",
            "--target.location=" + dir.resolve("warehouse"));
    assertThat(cli(args, Map.of()).code()).isEqualTo(1);
  }
}
