package io.synclog.job;

import static io.synclog.testing.Rows.row;
import static io.synclog.testing.SyncHarness.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.SyncLogMain;
import io.synclog.testing.SparkExtension;
import io.synclog.testing.SyncHarness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes, readable messages, no stack traces for bad input, no secrets. */
@ExtendWith(SparkExtension.class)
class MainTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result main(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SyncLogMain.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpListsCommandsAndEveryKey() {
    Result r = main(Map.of(), "help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("record", "plan", "prune", "unlock", "demo");
    io.synclog.config.ConfigKeys.ALL.keySet().forEach(k -> assertThat(r.out()).contains(k));
  }

  @Test
  void unknownCommandIsAUsageError() {
    Result r = main(Map.of(), "recrod");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown command 'recrod'").contains("record");
  }

  @Test
  void recordFromAConfigFileWithCommandLineOverridesAndEnvironment() throws Exception {
    SyncHarness h = new SyncHarness(dir, "cli");
    String model = h.model("r1", list(row(1L, "a@x.io", "free"), row(2L, "b@x.io", "pro")));
    String statuses =
        h.statuses("r1", list(row("1", "succeeded", null), row("2", "failed", "BAD")));
    Path conf = dir.resolve("sync.properties");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "sync.id=cli",
            "model.id=m1",
            "model.primary-key=id",
            "model.path=" + model,
            "statuses.path=/wrong/path/overridden/below",
            "target.location=" + dir.resolve("warehouse")));
    Result r =
        main(
            Map.of(
                "SYNCLOG_SYNC_DESTINATION", "Braze", "SYNCLOG_TARGET_PASSWORD", "hunter2-secret"),
            "record",
            "--config",
            conf.toString(),
            "--run.id=r1",
            "--statuses.path",
            statuses);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("sync 'cli' run 'r1' recorded")
        .contains("top failure reasons")
        .contains("BAD")
        .doesNotContain("hunter2-secret");
    assertThat(r.err()).doesNotContain("hunter2-secret");
    assertThat(h.table("sync_runs").select("destination").head().getString(0)).isEqualTo("Braze");
    assertThat(h.table("sync_runs").toJSON().collectAsList().toString()).doesNotContain("hunter2");

    Result again =
        main(
            Map.of(),
            "record",
            "--config",
            conf.toString(),
            "--run.id=r1",
            "--statuses.path",
            statuses);
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("already recorded: nothing changed");
  }

  @Test
  void badInputIsOneReadableMessageWithoutAStackTrace() throws Exception {
    Path conf = dir.resolve("bad.properties");
    Files.writeString(
        conf,
        "sync.id=s\nmodel.id=m\nmodel.primary-key=id\nmodel.path="
            + dir.resolve("missing")
            + "\nstatuses.path="
            + dir.resolve("missing2")
            + "\ntarget.location="
            + dir.resolve("w"));
    Result r = main(Map.of(), "record", "--config", conf.toString(), "--run.id=r1");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("Cannot read the model extract of sync 's', run 'r1'")
        .doesNotContain("\tat ");
    assertThat(Files.exists(dir.resolve("w"))).as("no table was created").isFalse();
  }

  @Test
  void secretsInTheConfigFileAreRefused() throws Exception {
    Path conf = dir.resolve("secret.properties");
    Files.writeString(conf, "sync.id=s\ntarget.password=hunter2-secret\n");
    Result r = main(Map.of(), "prune", "--older-than", "30d", "--config", conf.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("'target.password' is a secret and cannot be set in the config file")
        .contains("SYNCLOG_TARGET_PASSWORD")
        .doesNotContain("hunter2-secret");
  }

  @Test
  void pruneNeedsTheSyncToPruneOrAllSyncs() {
    Path warehouse = dir.resolve("warehouse");
    Result r = main(Map.of(), "prune", "--older-than", "30d", "--target.location=" + warehouse);
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("prune needs the sync to prune")
        .contains("--sync.id=")
        .contains("--all-syncs")
        .doesNotContain("\tat ");
    assertThat(r.out()).doesNotContain("pruned");
    assertThat(Files.exists(warehouse)).as("no table was created").isFalse();

    Result other = main(Map.of(), "record", "--all-syncs", "--sync.id=s");
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err()).contains("--all-syncs is an option of prune, not of record.");
    Result valued = main(Map.of(), "prune", "--older-than", "30d", "--all-syncs=yes");
    assertThat(valued.code()).isEqualTo(2);
    assertThat(valued.err()).contains("--all-syncs is a flag: it takes no value.");
  }

  @Test
  void planNeedsNoStatusesAndPrintsTheRowsToSend() throws Exception {
    SyncHarness h = new SyncHarness(dir, "planner");
    String model = h.model("r1", list(row(1L, "a@x.io", "free"), row(2L, "b@x.io", "pro")));
    Path conf = dir.resolve("plan.properties");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "sync.id=planner",
            "model.id=m1",
            "model.primary-key=id",
            "model.path=" + model,
            "target.location=" + dir.resolve("warehouse")));
    Result r = main(Map.of(), "plan", "--config", conf.toString(), "--run.id=r1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("sync 'planner' run 'r1' planned")
        .contains("to send")
        .containsPattern("added +2\\n")
        .doesNotContain("aborted");
    assertThat(r.out())
        .as("not a terminal: one plain progress line per stage")
        .containsPattern("(?m)^synclog: sync 'planner' run 'r1' plan: diff \\d+\\.\\d s$")
        .doesNotContain("\r");

    String statuses = h.statuses("r1", list(row("1", "succeeded", null), row("2", "failed", "X")));
    Result recorded =
        main(
            Map.of(),
            "record",
            "--config",
            conf.toString(),
            "--run.id=r1",
            "--statuses.path",
            statuses);
    assertThat(recorded.code()).as(recorded.err()).isZero();
    assertThat(recorded.out()).contains("sync 'planner' run 'r1' recorded").contains("aborted");
  }

  @Test
  void anInjectedFaultExitsWithItsOwnCodeAndTheRerunFinishes() throws Exception {
    SyncHarness h = new SyncHarness(dir, "faulty");
    String model = h.model("r1", list(row(1L, "a@x.io", "free")));
    String statuses = h.statuses("r1", list(row("1", "succeeded", null)));
    String[] args = {
      "record",
      "--sync.id=faulty",
      "--run.id=r1",
      "--model.id=m1",
      "--model.primary-key=id",
      "--model.path=" + model,
      "--statuses.path=" + statuses,
      "--target.location=" + dir.resolve("warehouse")
    };
    String[] faulty = java.util.Arrays.copyOf(args, args.length + 1);
    faulty[args.length] = "--fault.inject-at=after-lock";
    Result failed = main(Map.of(), faulty);
    assertThat(failed.code()).as(failed.err()).isEqualTo(4);
    assertThat(failed.err()).contains("Injected fault at 'after-lock'");

    Result rerun = main(Map.of(), args);
    assertThat(rerun.code()).as(rerun.err()).isZero();
    assertThat(rerun.out()).contains("sync 'faulty' run 'r1' recorded (resumed");
  }
}
