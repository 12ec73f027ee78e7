package io.synclog.job;

import static io.synclog.testing.Rows.row;
import static io.synclog.testing.SyncHarness.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.testing.SparkExtension;
import io.synclog.testing.SyncHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code record --batch}: many runs in one application, each exactly-once and reported on its own,
 * one failure not stopping the others, and a batch rerun recording nothing twice.
 */
@ExtendWith(SparkExtension.class)
class BatchRecordTest {
  @TempDir Path dir;

  /** The settings every line shares: the warehouse, given once with --config. */
  private Path shared() throws Exception {
    Path file = dir.resolve("shared.properties");
    Files.writeString(
        file, "target.location=" + dir.resolve("warehouse") + "\nsync.destination=Braze\n");
    return file;
  }

  /** A sync's own config file, beside the manifest, with its model of run r1. */
  private SyncHarness sync(String id, List<Row> model) throws Exception {
    SyncHarness h = new SyncHarness(dir, id);
    String modelPath = h.model("r1", model);
    Files.writeString(
        dir.resolve(id + ".properties"),
        "sync.id=" + id + "\nmodel.id=m-" + id + "\nmodel.primary-key=id\nmodel.path=" + modelPath);
    return h;
  }

  private static String line(String id, String statuses) {
    return "config=" + id + ".properties run.id=r1 statuses.path=\"" + statuses + "\"";
  }

  private Path manifest(String... lines) throws Exception {
    Path file = dir.resolve("hour.manifest");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private MainTest.Result batch(Path manifest, String... more) throws Exception {
    String[] args = new String[4 + more.length];
    args[0] = "record";
    args[1] = "--config=" + shared();
    args[2] = "--batch";
    args[3] = manifest.toString();
    System.arraycopy(more, 0, args, 4, more.length);
    return MainTest.main(Map.of(), args);
  }

  /** The changelog's and runs table's rows of every sync, as sorted text. */
  private List<String> tables(SyncHarness h) {
    List<String> out = new ArrayList<>();
    for (String table : List.of("sync_changelog", "sync_runs")) {
      h.table(table).drop("written_at").toJSON().collectAsList().stream()
          .map(json -> table + " " + json)
          .sorted()
          .forEach(out::add);
    }
    return out;
  }

  @Test
  void aFailingRunAmongGoodOnesIsReportedAndTheBatchRerunRecordsNothingTwice() throws Exception {
    SyncHarness a = sync("a", list(row(1L, "a@x.io", "free"), row(2L, "b@x.io", "pro")));
    SyncHarness b = sync("b", list(row(7L, "g@x.io", "free")));
    SyncHarness c = sync("c", list(row(9L, "i@x.io", "pro")));
    String statusesA = a.statuses("r1", list(row("1", "succeeded", null), row("2", "failed", "X")));
    String statusesB = dir.resolve("input/b/r1/statuses").toString(); // not written yet
    String statusesC = c.statuses("r1", list(row("9", "succeeded", null)));
    Path manifest =
        manifest(
            "# one hour of three syncs",
            line("a", statusesA),
            line("b", statusesB),
            line("c", statusesC));

    MainTest.Result first = batch(manifest);
    assertThat(first.code()).as(first.out() + first.err()).isEqualTo(1);
    assertThat(first.out())
        .contains("batch run 1 of 3 (line 2): sync 'a' run 'r1'")
        .contains("sync 'a' run 'r1' recorded")
        .contains("sync 'c' run 'r1' recorded")
        .contains("synclog: batch of 3 run(s): 2 recorded, 0 already recorded, 1 failed")
        .containsPattern("\\s3\\s+b\\s+r1\\s+[0-9.]+\\s+failed: STATUSES_UNREADABLE");
    assertThat(first.err())
        .contains("Cannot read the row statuses of sync 'b', run 'r1'")
        .doesNotContain("\tat ");
    assertThat(a.table("sync_runs").select("sync_id").as(Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("a", "c");
    List<String> afterFirst = tables(a);

    // the failed run's statuses arrive; the whole batch is run again
    b.statuses("r1", list(row("7", "failed", "Y")));
    MainTest.Result second = batch(manifest, "--parallel", "2");
    assertThat(second.code()).as(second.out() + second.err()).isZero();
    assertThat(second.out())
        .as("two syncs at a time; each run's lines printed together, under its header")
        .containsPattern(
            "batch run 2 of 3 \\(line 3\\): sync 'b' run 'r1'\n[^\n]*sync 'b' run 'r1' recorded")
        .containsPattern(
            "batch run 1 of 3 \\(line 2\\): sync 'a' run 'r1'\n[^\n]*sync 'a' run 'r1' already recorded")
        .contains("synclog: batch of 3 run(s): 1 recorded, 2 already recorded, 0 failed");
    List<String> afterSecond = tables(a);
    assertThat(afterSecond)
        .as("a's and c's rows are as the first batch left them; b's were added")
        .containsAll(afterFirst)
        .hasSize(afterFirst.size() + 2)
        .anyMatch(l -> l.startsWith("sync_changelog") && l.contains("\"sync_id\":\"b\""));
  }

  @Test
  void failFastLeavesTheRestUnstarted() throws Exception {
    sync("a", list(row(1L, "a@x.io", "free")));
    sync("b", list(row(2L, "b@x.io", "free")));
    Path missing = dir.resolve("nothing-here");
    Path manifest = manifest(line("a", missing.toString()), line("b", missing.toString()));
    MainTest.Result r = batch(manifest, "--fail-fast");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("batch run 1 of 2")
        .doesNotContain("batch run 2 of 2")
        .contains("0 recorded, 0 already recorded, 1 failed, 1 not started");
    assertThat(r.err())
        .contains(
            "--fail-fast: the run of line 1 failed, so the batch stops; 1 run(s) not started");

    // in parallel, one sync's runs still go in the manifest's order: its second run never starts
    Path oneSync =
        manifest(
            line("a", missing.toString()),
            line("a", missing.toString()).replace("run.id=r1", "run.id=r2"));
    MainTest.Result parallel = batch(oneSync, "--fail-fast", "--parallel", "2");
    assertThat(parallel.code()).isEqualTo(1);
    assertThat(parallel.out())
        .contains("batch run 1 of 2 (line 1): sync 'a' run 'r1'")
        .doesNotContain("batch run 2 of 2")
        .contains("0 recorded, 0 already recorded, 1 failed, 1 not started");
    assertThat(parallel.err()).contains("the run of line 1 failed, so the batch stops");
    assertThat(dir.resolve("warehouse/sync_audit/sync_runs/_delta_log")).doesNotExist();
  }

  @Test
  void linesWhoseSettingsDoNotResolveStopTheBatchBeforeAnyRun() throws Exception {
    sync("a", list(row(1L, "a@x.io", "free")));
    Path manifest =
        manifest(
            line("a", "/s/a"),
            "sync.id=x model.id=m model.path=/m statuses.path=/s run.id=r1",
            line("a", "/s/again"),
            line("a", "/s/a").replace("run.id=r1", "run.id=r2 spark.master=local[1]"));
    MainTest.Result r = batch(manifest);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("Cannot start the batch in '" + manifest + "': nothing was recorded")
        .contains("3 lines have problems")
        .contains("line 2: Cannot start: the configuration has 1 problem")
        .contains("model.primary-key")
        .contains("line 3: it repeats sync 'a' run 'r1' of line 1")
        .contains("line 4: spark.master=local[1] differs from the batch's (local[*])");
    assertThat(r.out()).doesNotContain("batch run 1");
    assertThat(dir.resolve("warehouse")).doesNotExist();
  }

  @Test
  void batchBelongsToRecordAndFailFastToABatch() {
    assertThat(MainTest.main(Map.of(), "plan", "--batch", "x").err())
        .contains("--batch is an option of record, not of plan");
    assertThat(MainTest.main(Map.of(), "record", "--fail-fast").err())
        .contains("--fail-fast and --parallel go with record --batch FILE");
    assertThat(MainTest.main(Map.of(), "record", "--batch=m", "--parallel=0").err())
        .contains("--parallel takes a number of runs from 1 to 64, not '0'");
    assertThat(MainTest.main(Map.of(), "record", "--fail-fast=yes").code()).isEqualTo(2);
  }
}
