package io.synclog.job;

import static io.synclog.testing.Rows.row;
import static io.synclog.testing.SyncHarness.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import io.synclog.testing.SyncHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class RecordSmokeTest {
  @TempDir Path dir;

  @Test
  void twoRuns() {
    SyncHarness h = new SyncHarness(dir, "s1");
    RunSummary first =
        h.run(
            "r1",
            list(row(1L, "a@x", "free"), row(2L, "b@x", "pro"), row(3L, "c@x", "free")),
            list(
                row("1", "succeeded", null),
                row("2", "failed", "invalid email"),
                row("3", "succeeded", null)));
    System.out.println(first.render());
    RunSummary second =
        h.run(
            "r2",
            list(row(1L, "a@x", "pro"), row(2L, "b@x", "pro")),
            list(row("1", "succeeded", null), row("2", "succeeded", null), row("3", "succeeded", null)));
    System.out.println(second.render());
    System.out.println(Rows.lines(h.table("sync_changelog"), "sync_run_id", "op_type", "row_id", "status", "failed_reason", "fields"));
    System.out.println(Rows.lines(h.table("sync_snapshot")));
    System.out.println(Rows.lines(h.table("sync_runs")));
    assertThat(Rows.lines(h.table("sync_snapshot"), "row_id", "op_type", "status"))
        .containsExactly("1|changed|succeeded", "2|added|succeeded");
  }
}
