package io.synclog.job;

import static io.synclog.testing.Rows.row;
import static io.synclog.testing.SyncHarness.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.synclog.error.SyncLogException;
import io.synclog.sink.FaultHook;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import io.synclog.testing.SyncHarness;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan} stores what to send; {@code record} then logs exactly that plan. */
@ExtendWith(SparkExtension.class)
class PlanThenRecordTest {
  @TempDir Path dir;

  @Test
  void recordUsesTheStoredPlanEvenIfTheModelChangedSince() {
    SyncHarness h = new SyncHarness(dir, "planned");
    h.run(
        "r1",
        list(row(1L, "a@x.io", "free"), row(2L, "b@x.io", "free")),
        list(row("1", "succeeded", null), row("2", "succeeded", null)));

    h.model("r2", list(row(1L, "a@x.io", "pro"), row(3L, "c@x.io", "free")));
    RunSummary planned = h.plan("r2");
    assertThat(planned.outcome()).isEqualTo(RunSummary.PLANNED);
    assertThat(planned.counts().of("added").planned()).isEqualTo(1);
    assertThat(planned.counts().of("changed").planned()).isEqualTo(1);
    assertThat(planned.counts().of("removed").planned()).isEqualTo(1);
    // What the sync engine reads.
    assertThat(
            Rows.lines(
                h.table("sync_plans").where("sync_id = 'planned' AND sync_run_id = 'r2'"),
                "row_id",
                "op_type",
                "fields"))
        .containsExactly(
            "1|changed|{\"email\":\"a@x.io\",\"id\":1,\"plan\":\"pro\"}",
            "2|removed|{\"email\":\"b@x.io\",\"id\":2,\"plan\":\"free\"}",
            "3|added|{\"email\":\"c@x.io\",\"id\":3,\"plan\":\"free\"}");
    // Planning again keeps the stored plan.
    assertThat(h.plan("r2").outcome()).isEqualTo(RunSummary.ALREADY_PLANNED);

    // The model moves on before the run is recorded: the log still matches what was planned.
    h.model("r2", list(row(1L, "a@x.io", "enterprise"), row(4L, "d@x.io", "free")));
    h.statuses(
        "r2",
        list(
            row("1", "succeeded", null),
            row("2", "succeeded", null),
            row("3", "failed", "LOCKED")));
    h.record("r2");

    assertThat(
            Rows.lines(
                h.table("sync_changelog").where("sync_run_id = 'r2'"),
                "row_id",
                "op_type",
                "status"))
        .containsExactly("1|changed|succeeded", "2|removed|succeeded", "3|added|failed");
    assertThat(Rows.lines(h.table("sync_snapshot"), "row_id", "op_type", "status", "fields"))
        .containsExactly(
            "1|changed|succeeded|{\"email\":\"a@x.io\",\"id\":1,\"plan\":\"pro\"}",
            "3|added|failed|{\"email\":\"c@x.io\",\"id\":3,\"plan\":\"free\"}");
    assertThat(h.table("sync_plans").where("sync_id = 'planned'").count())
        .as("the plan is dropped once its run is recorded")
        .isZero();
    assertThat(h.table("_synclog_locks").count()).isZero();
  }

  @Test
  void aPlannedRunHoldsTheSyncUntilRecordedOrUnlocked() {
    SyncHarness h = new SyncHarness(dir, "held");
    h.model("r1", list(row(1L, "a@x.io", "free")));
    h.plan("r1");

    h.model("r2", list(row(1L, "a@x.io", "free")));
    h.statuses("r2", list());
    SyncLogException e = catchThrowableOfType(SyncLogException.class, () -> h.record("r2"));
    assertThat(e.code()).isEqualTo("RUN_IN_PROGRESS");
    assertThat(e.getMessage())
        .contains("run 'r1' of the same sync is planned but not recorded yet")
        .contains("unlock --sync.id=held --run.id=r1");

    int code =
        io.synclog.SyncLogMain.run(
            new String[] {
              "unlock",
              "--sync.id=held",
              "--run.id=r1",
              "--target.location=" + dir.resolve("warehouse")
            },
            System.out,
            System.err,
            Map.of());
    assertThat(code).isZero();
    assertThat(h.table("sync_plans").count()).isZero();
    h.record("r2", Map.of(), FaultHook.NONE);
    assertThat(Rows.lines(h.table("sync_runs"), "sync_run_id", "num_planned_add"))
        .containsExactly("r2|1");
  }

  @Test
  void recordWithUsePlanAlwaysRefusesWithoutAPlan() {
    SyncHarness h = new SyncHarness(dir, "always");
    h.model("r1", list(row(1L, "a@x.io", "free")));
    h.statuses("r1", list());
    SyncLogException e =
        catchThrowableOfType(
            SyncLogException.class,
            () -> h.record("r1", Map.of("record.use-plan", "always"), FaultHook.NONE));
    assertThat(e.code()).isEqualTo("PLAN_MISSING");
    assertThat(e.getMessage()).contains("Run 'plan' first");
  }
}
