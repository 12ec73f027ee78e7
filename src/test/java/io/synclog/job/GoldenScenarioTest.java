package io.synclog.job;

import static io.synclog.testing.Rows.row;
import static io.synclog.testing.SyncHarness.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import io.synclog.testing.SyncHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four runs of one sync through every rule at once: adds, changes, removals, failures, retries of
 * failed adds, changes and removals, aborted rows, a row that leaves before it was ever synced,
 * duplicated and null keys, and a run that failed. Each table is checked row by row after each run.
 */
@ExtendWith(SparkExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GoldenScenarioTest {
  @TempDir static Path dir;
  static SyncHarness h;

  private static final String[] CHANGELOG = {
    "sync_run_id", "op_type", "row_id", "status", "failed_reason", "fields"
  };
  private static final String[] SNAPSHOT = {
    "row_id", "op_type", "status", "failed_reason", "fields", "in_destination", "last_sync_run_id"
  };

  @BeforeAll
  void setUp() {
    h = new SyncHarness(dir, "golden");
  }

  private static String json(long id, String email, String plan) {
    return "{\"email\":\"" + email + "\",\"id\":" + id + ",\"plan\":\"" + plan + "\"}";
  }

  private static List<String> changelog(String runId) {
    return Rows.lines(h.table("sync_changelog").where("sync_run_id = '" + runId + "'"), CHANGELOG);
  }

  private static List<String> snapshot() {
    return Rows.lines(h.table("sync_snapshot"), SNAPSHOT);
  }

  private static String counts(String runId) {
    Dataset<Row> runs = h.table("sync_runs").where("sync_run_id = '" + runId + "'");
    return String.join(
        ",",
        Rows.lines(
            runs,
            "status",
            "coalesce(error, '-')",
            "num_planned_add",
            "num_planned_change",
            "num_planned_remove",
            "num_attempted_add",
            "num_attempted_change",
            "num_attempted_remove",
            "num_succeeded_add",
            "num_succeeded_change",
            "num_succeeded_remove",
            "num_failed_add",
            "num_failed_change",
            "num_failed_remove",
            "num_rejected_rows"));
  }

  private static void record(String runId, String day, Map<String, String> extra) {
    Map<String, String> settings = new java.util.HashMap<>(extra);
    settings.put("run.started-at", day + "T10:00:00Z");
    settings.put("run.finished-at", day + "T10:05:00Z");
    h.record(runId, settings, io.synclog.sink.FaultHook.NONE);
  }

  @Test
  @Order(1)
  void firstRunAddsEveryRow() {
    h.model(
        "r1",
        list(
            row(1L, "a@x.io", "free"),
            row(2L, "bad-email", "free"),
            row(3L, "c@x.io", "free"),
            row(4L, "d@x.io", "pro"),
            row(5L, "e@x.io", "pro"),
            row(6L, "f@x.io", "pro")));
    h.statuses(
        "r1",
        list(
            row("1", "succeeded", null),
            row("2", "failed", "INVALID_EMAIL"),
            row("3", "succeeded", null),
            row("4", "succeeded", null),
            row("6", "succeeded", null)));
    record("r1", "2026-01-01", Map.of());

    assertThat(changelog("r1"))
        .containsExactly(
            "r1|added|1|succeeded|null|" + json(1, "a@x.io", "free"),
            "r1|added|2|failed|INVALID_EMAIL|" + json(2, "bad-email", "free"),
            "r1|added|3|succeeded|null|" + json(3, "c@x.io", "free"),
            "r1|added|4|succeeded|null|" + json(4, "d@x.io", "pro"),
            "r1|added|5|aborted|null|" + json(5, "e@x.io", "pro"),
            "r1|added|6|succeeded|null|" + json(6, "f@x.io", "pro"));
    assertThat(snapshot())
        .containsExactly(
            "1|added|succeeded|null|" + json(1, "a@x.io", "free") + "|true|r1",
            "2|added|failed|INVALID_EMAIL|" + json(2, "bad-email", "free") + "|false|r1",
            "3|added|succeeded|null|" + json(3, "c@x.io", "free") + "|true|r1",
            "4|added|succeeded|null|" + json(4, "d@x.io", "pro") + "|true|r1",
            "5|added|aborted|null|" + json(5, "e@x.io", "pro") + "|false|r1",
            "6|added|succeeded|null|" + json(6, "f@x.io", "pro") + "|true|r1");
    assertThat(counts("r1")).isEqualTo("succeeded|-|6|0|0|5|0|0|4|0|0|1|0|0|0");
  }

  @Test
  @Order(2)
  void secondRunRetriesFailedAddsAndLogsChangesAndRemovals() {
    // 2 fixed its email (retried as added); 3 changed; 4 left; 5 left before it was ever synced;
    // 7 is new.
    h.model(
        "r2",
        list(
            row(1L, "a@x.io", "free"),
            row(2L, "b@x.io", "free"),
            row(3L, "c@x.io", "pro"),
            row(6L, "f@x.io", "pro"),
            row(7L, "g@x.io", "free")));
    h.statuses(
        "r2",
        list(
            row("2", "succeeded", null),
            row("3", "failed", "ENTITY_IS_LOCKED"),
            row("4", "failed", "DELETE_FAILED"),
            row("7", "succeeded", null)));
    record("r2", "2026-01-02", Map.of());

    assertThat(changelog("r2"))
        .containsExactly(
            "r2|added|2|succeeded|null|" + json(2, "b@x.io", "free"),
            "r2|added|7|succeeded|null|" + json(7, "g@x.io", "free"),
            "r2|changed|3|failed|ENTITY_IS_LOCKED|" + json(3, "c@x.io", "pro"),
            "r2|removed|4|failed|DELETE_FAILED|" + json(4, "d@x.io", "pro"));
    assertThat(snapshot())
        .containsExactly(
            "1|unchanged|succeeded|null|" + json(1, "a@x.io", "free") + "|true|r1",
            "2|added|succeeded|null|" + json(2, "b@x.io", "free") + "|true|r2",
            "3|changed|failed|ENTITY_IS_LOCKED|" + json(3, "c@x.io", "pro") + "|true|r2",
            "4|removed|failed|DELETE_FAILED|" + json(4, "d@x.io", "pro") + "|true|r2",
            "6|unchanged|succeeded|null|" + json(6, "f@x.io", "pro") + "|true|r1",
            "7|added|succeeded|null|" + json(7, "g@x.io", "free") + "|true|r2");
    assertThat(counts("r2")).isEqualTo("succeeded|-|2|1|1|2|1|1|2|0|0|0|1|1|0");
  }

  @Test
  @Order(3)
  void thirdRunRetriesPendingOpsAndRejectsBadKeys() {
    // 3 is unchanged since r2 but its change failed: planned again. 4's removal is retried.
    // 6 is duplicated and a row has no id: both rejected, 6 keeps its last good state.
    h.model(
        "r3",
        list(
            row(1L, "a@x.io", "free"),
            row(2L, "b@x.io", "pro"),
            row(3L, "c@x.io", "pro"),
            row(6L, "f@x.io", "pro"),
            row(6L, "f2@x.io", "pro"),
            row(null, "n@x.io", "free"),
            row(7L, "g@x.io", "free")));
    h.statuses(
        "r3",
        list(
            row("2", "succeeded", null), row("3", "succeeded", null), row("4", "succeeded", null)));
    record("r3", "2026-01-03", Map.of());

    String dup = "duplicate primary key: 2 model rows have id = '6'";
    assertThat(changelog("r3"))
        .containsExactly(
            "r3|added|null|failed|null primary key: id is null|{\"email\":\"n@x.io\",\"id\":null,\"plan\":\"free\"}",
            "r3|changed|2|succeeded|null|" + json(2, "b@x.io", "pro"),
            "r3|changed|3|succeeded|null|" + json(3, "c@x.io", "pro"),
            "r3|changed|6|failed|" + dup + "|" + json(6, "f2@x.io", "pro"),
            "r3|changed|6|failed|" + dup + "|" + json(6, "f@x.io", "pro"),
            "r3|removed|4|succeeded|null|" + json(4, "d@x.io", "pro"));
    assertThat(snapshot())
        .containsExactly(
            "1|unchanged|succeeded|null|" + json(1, "a@x.io", "free") + "|true|r1",
            "2|changed|succeeded|null|" + json(2, "b@x.io", "pro") + "|true|r3",
            "3|changed|succeeded|null|" + json(3, "c@x.io", "pro") + "|true|r3",
            "6|unchanged|succeeded|null|" + json(6, "f@x.io", "pro") + "|true|r1",
            "7|unchanged|succeeded|null|" + json(7, "g@x.io", "free") + "|true|r2");
    assertThat(counts("r3")).isEqualTo("succeeded|-|1|4|1|1|4|1|0|2|1|1|2|0|3");
  }

  @Test
  @Order(4)
  void fourthRunIsCancelledPartway() {
    h.model(
        "r4",
        list(
            row(2L, "b@x.io", "pro"),
            row(3L, "c@x.io", "pro"),
            row(6L, "f@x.io", "pro"),
            row(7L, "g@x.io", "free"),
            row(8L, "h@x.io", "pro")));
    h.statuses("r4", list(row("1", "succeeded", null), row("8", "aborted", null)));
    record("r4", "2026-01-04", Map.of("run.error", "cancelled by user"));

    assertThat(changelog("r4"))
        .containsExactly(
            "r4|added|8|aborted|null|" + json(8, "h@x.io", "pro"),
            "r4|removed|1|succeeded|null|" + json(1, "a@x.io", "free"));
    assertThat(snapshot())
        .containsExactly(
            "2|unchanged|succeeded|null|" + json(2, "b@x.io", "pro") + "|true|r3",
            "3|unchanged|succeeded|null|" + json(3, "c@x.io", "pro") + "|true|r3",
            "6|unchanged|succeeded|null|" + json(6, "f@x.io", "pro") + "|true|r1",
            "7|unchanged|succeeded|null|" + json(7, "g@x.io", "free") + "|true|r2",
            "8|added|aborted|null|" + json(8, "h@x.io", "pro") + "|false|r4");
    assertThat(counts("r4")).isEqualTo("failed|cancelled by user|1|0|1|0|0|1|0|0|1|0|0|0|0");
  }

  @Test
  @Order(5)
  void everyRunKeepsTheCountInvariantsAndTheRunMetadata() {
    Dataset<Row> runs = h.table("sync_runs");
    assertThat(
            runs.where(
                    "num_planned_add + num_planned_change + num_planned_remove < 0"
                        + " OR num_attempted_add != num_succeeded_add + num_failed_add"
                        + " OR num_attempted_change != num_succeeded_change + num_failed_change"
                        + " OR num_attempted_remove != num_succeeded_remove + num_failed_remove"
                        + " OR num_planned_add < num_attempted_add")
                .count())
        .isZero();
    assertThat(
            Rows.lines(
                runs,
                "sync_run_id",
                "primary_key",
                "destination",
                "model_name",
                "model_id",
                "cast(started_at as string)",
                "cast(finished_at as string)"))
        .containsExactly(
            "r1|id|Salesforce|model golden|m-golden|2026-01-01 10:00:00|2026-01-01 10:05:00",
            "r2|id|Salesforce|model golden|m-golden|2026-01-02 10:00:00|2026-01-02 10:05:00",
            "r3|id|Salesforce|model golden|m-golden|2026-01-03 10:00:00|2026-01-03 10:05:00",
            "r4|id|Salesforce|model golden|m-golden|2026-01-04 10:00:00|2026-01-04 10:05:00");
    // Changelog rows carry their run's UTC date, the partition column.
    assertThat(Rows.lines(h.table("sync_changelog").groupBy("sync_run_id", "run_date").count()))
        .containsExactly(
            "r1|2026-01-01|6", "r2|2026-01-02|4", "r3|2026-01-03|6", "r4|2026-01-04|2");
  }

  @Test
  @Order(6)
  void recordingAFinishedRunAgainChangesNothing() {
    long versionBefore = deltaVersion("sync_snapshot") + deltaVersion("sync_changelog");
    List<String> snapshotBefore = snapshot();
    RunSummary again = h.record("r4", Map.of(), io.synclog.sink.FaultHook.NONE);
    assertThat(again.outcome()).isEqualTo(RunSummary.ALREADY_RECORDED);
    assertThat(again.render()).contains("already recorded");
    assertThat(snapshot()).isEqualTo(snapshotBefore);
    assertThat(deltaVersion("sync_snapshot") + deltaVersion("sync_changelog"))
        .isEqualTo(versionBefore);
    assertThat(h.table("sync_runs").count()).isEqualTo(4);
  }

  private static long deltaVersion(String table) {
    return io.delta.tables.DeltaTable.forPath(
            SparkExtension.spark(), dir.resolve("warehouse/sync_audit/" + table).toString())
        .history(1)
        .select("version")
        .head()
        .getLong(0);
  }
}
