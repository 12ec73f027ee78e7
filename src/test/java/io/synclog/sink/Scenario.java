package io.synclog.sink;

import static io.synclog.testing.Rows.row;
import static io.synclog.testing.SyncHarness.list;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * A golden four-run history of one sync that exercises every kind of row: adds, changes, removals,
 * a failed add retried as an add, a failed change, an aborted row retried, a row left unchanged and
 * carried in the snapshot. Start and finish times are fixed so the runs table is the same wherever
 * and whenever it is recorded.
 */
public final class Scenario {
  private Scenario() {}

  /** One run: its model, the engine's statuses for exactly its plan, and its times. */
  public record Step(String runId, List<Row> model, List<Row> statuses, int day) {
    public Map<String, String> times() {
      return Map.of(
          "run.started-at",
          "2026-03-0" + day + "T10:00:00Z",
          "run.finished-at",
          "2026-03-0" + day + "T10:10:00Z");
    }
  }

  public static final List<Step> STEPS =
      List.of(
          new Step(
              "r1",
              list(row(1L, "a@x", "free"), row(2L, "b@x", "pro"), row(3L, "c@x", "free")),
              list(
                  row("1", "succeeded", null),
                  row("2", "failed", "invalid email"),
                  row("3", "succeeded", null)),
              1),
          // 1 changed, 2 retried as added, 3 removed, 4 added and failed
          new Step(
              "r2",
              list(row(1L, "a@x", "pro"), row(2L, "b@x", "pro"), row(4L, "d@x", "free")),
              list(
                  row("1", "succeeded", null),
                  row("2", "succeeded", null),
                  row("3", "succeeded", null),
                  row("4", "failed", "rate limited")),
              2),
          // 1 unchanged, 2 changed and failed, 4 retried as added, 5 added but aborted
          new Step(
              "r3",
              list(
                  row(1L, "a@x", "pro"),
                  row(2L, "b2@x", "pro"),
                  row(4L, "d@x", "free"),
                  row(5L, "e@x", "free")),
              list(
                  row("2", "failed", "invalid email"),
                  row("4", "succeeded", null),
                  row("5", "aborted", null)),
              3),
          // 1 changed, 2 removed, 4 unchanged, 5 retried as added and failed
          new Step(
              "r4",
              list(row(1L, "a@x", "team"), row(4L, "d@x", "free"), row(5L, "e@x", "free")),
              list(
                  row("1", "succeeded", null),
                  row("2", "succeeded", null),
                  row("5", "failed", "rate limited")),
              4));

  /** The snapshot after the four runs: row_id|op_type|status|failed_reason. */
  public static final List<String> FINAL_SNAPSHOT =
      List.of(
          "1|changed|succeeded|null", "4|unchanged|succeeded|null", "5|added|failed|rate limited");
}
