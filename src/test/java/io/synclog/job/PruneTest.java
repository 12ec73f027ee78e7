package io.synclog.job;

import static io.synclog.testing.Rows.row;
import static io.synclog.testing.SyncHarness.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.error.SyncLogException;
import io.synclog.sink.FaultHook;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import io.synclog.testing.SyncHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Pruning history is safe: later runs come out exactly as if nothing had been pruned. */
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

  private static int prune(Path dir, String olderThan) {
    return io.synclog.SyncLogMain.run(
        new String[] {
          "prune", "--older-than", olderThan, "--target.location=" + dir.resolve("warehouse")
        },
        System.out,
        System.err,
        Map.of());
  }

  @Test
  void laterRunsAreUnaffectedByPruning() {
    SyncHarness pruned = new SyncHarness(dir.resolve("a"), "s");
    SyncHarness kept = new SyncHarness(dir.resolve("b"), "s");
    for (int i = 0; i < 2; i++) {
      run(pruned, i);
      run(kept, i);
    }
    // Everything before today is older than a day: prune it all, but each sync's latest run stays.
    assertThat(prune(dir.resolve("a"), "1d")).isZero();
    assertThat(pruned.table("sync_changelog").count()).isZero();
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
            Rows.lines(kept.table("sync_changelog").where("sync_run_id = 'r3'"), changelogColumns))
        .isNotEmpty();
    // Rerunning the newest run is still recognised after pruning.
    assertThat(pruned.record("r3").outcome()).isEqualTo(RunSummary.ALREADY_RECORDED);
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
    assertThat(prune(dir, "soon")).isEqualTo(1);
    assertThat(Instant.now()).isNotNull();
  }
}
