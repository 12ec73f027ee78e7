package io.synclog.job;

import static io.synclog.testing.Rows.row;
import static io.synclog.testing.SyncHarness.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.sink.FaultHook;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import io.synclog.testing.SyncHarness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** split_group exists only once a sync uses splits, and hashed membership never flaps. */
@ExtendWith(SparkExtension.class)
class SplitsTest {
  @TempDir Path dir;

  @Test
  void splitGroupColumnAppearsOnlyWithSplitsAndMembershipIsStable() {
    SyncHarness plain = new SyncHarness(dir, "plain");
    plain.run("r1", list(row(1L, "a@x.io", "free")), list(row("1", "succeeded", null)));
    assertThat(Arrays.asList(plain.table("sync_changelog").columns()))
        .doesNotContain("split_group");
    assertThat(Arrays.asList(plain.table("sync_snapshot").columns())).doesNotContain("split_group");

    SyncHarness split =
        new SyncHarness(dir, "split").set("split.groups", "control:20,treatment:80");
    List<Row> model = new ArrayList<>();
    for (long id = 1; id <= 400; id++) {
      model.add(row(id, "u" + id + "@x.io", "free"));
    }
    split.run("r1", model, list());
    Map<String, String> first = groups(split);
    assertThat(first).hasSize(400);
    long control = first.values().stream().filter("control"::equals).count();
    assertThat(control).as("about 20%% of 400 rows in control").isBetween(50L, 110L);
    assertThat(first.values()).containsOnly("control", "treatment");

    // Next run: every row changes and 100 new rows arrive; nobody moves group.
    List<Row> next = new ArrayList<>();
    for (long id = 1; id <= 500; id++) {
      next.add(row(id, "u" + id + "@x.io", "pro"));
    }
    split.run("r2", next, list());
    Map<String, String> second = groups(split);
    first.forEach(
        (rowId, group) -> assertThat(second.get(rowId)).as("row " + rowId).isEqualTo(group));
    assertThat(
            Rows.lines(
                split
                    .table("sync_changelog")
                    .where("sync_run_id = 'r2'")
                    .groupBy("split_group")
                    .count()))
        .hasSize(2);
    // The other sync's rows hold null in the shared tables.
    assertThat(
            plain
                .table("sync_snapshot")
                .where("sync_id = 'plain' AND split_group IS NOT NULL")
                .count())
        .isZero();
  }

  @Test
  void splitColumnOfTheModelIsUsedAsIs() {
    SyncHarness h = new SyncHarness(dir, "bycolumn").set("split.column", "plan");
    h.model("r1", list(row(1L, "a@x.io", "free"), row(2L, "b@x.io", "pro")));
    h.statuses("r1", list(row("1", "succeeded", null), row("2", "succeeded", null)));
    h.record("r1", Map.of(), FaultHook.NONE);
    assertThat(Rows.lines(h.table("sync_snapshot"), "row_id", "split_group"))
        .containsExactly("1|free", "2|pro");
  }

  private static Map<String, String> groups(SyncHarness h) {
    Map<String, String> out = new java.util.HashMap<>();
    for (Row r :
        h.table("sync_snapshot")
            .where("sync_id = 'split'")
            .select("row_id", "split_group")
            .collectAsList()) {
      out.put(r.getString(0), r.getString(1));
    }
    return out;
  }
}
