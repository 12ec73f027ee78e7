package io.synclog.job;

import static io.synclog.testing.Rows.row;
import static io.synclog.testing.SyncHarness.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.error.SyncLogException;
import io.synclog.sink.FaultHook;
import io.synclog.testing.Folders;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import io.synclog.testing.SyncHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets one readable message naming the sync, run, table or file, and leaves the tables
 * exactly as they were.
 */
@ExtendWith(SparkExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  @TempDir static Path dir;
  SyncHarness h;
  List<String> snapshotBefore;
  List<String> changelogBefore;
  List<String> runsBefore;
  long locksBefore;

  @BeforeAll
  void firstRunRecorded() throws IOException {
    h = new SyncHarness(dir.resolve("bad"), "bad");
    h.run(
        "r1",
        list(row(1L, "a@x.io", "free"), row(2L, "b@x.io", "pro")),
        list(row("1", "succeeded", null), row("2", "succeeded", null)));
    Folders.copy(dir.resolve("bad"), dir.resolve("first-run"));
  }

  @BeforeEach
  void rememberTheTables() {
    snapshotBefore = Rows.lines(h.table("sync_snapshot"));
    changelogBefore = Rows.lines(h.table("sync_changelog"));
    runsBefore = Rows.lines(h.table("sync_runs"));
    locksBefore = h.version("_synclog_locks");
  }

  private SyncLogException failure(String runId, Map<String, String> extra) {
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> h.record(runId, extra, FaultHook.NONE));
    assertThat(t).isInstanceOf(SyncLogException.class);
    assertUntouched();
    return (SyncLogException) t;
  }

  private void assertUntouched() {
    assertThat(Rows.lines(h.table("sync_snapshot"))).isEqualTo(snapshotBefore);
    assertThat(Rows.lines(h.table("sync_changelog"))).isEqualTo(changelogBefore);
    assertThat(Rows.lines(h.table("sync_runs"))).isEqualTo(runsBefore);
    // A refused run is refused before it claims the sync: not even the lock table moved.
    assertThat(h.version("_synclog_locks"))
        .as("version of _synclog_locks after a refused run (before: %d)", locksBefore)
        .isEqualTo(locksBefore);
    assertThat(h.sink(h.config("any", Map.of())).heldLock("bad")).isEmpty();
  }

  /**
   * The sync as its first run left it, in a folder of its own, for the cases that go on to record:
   * a copy of the tables and inputs {@link #firstRunRecorded} wrote.
   */
  private static SyncHarness copyOfFirstRun(String folder) {
    try {
      Folders.copy(dir.resolve("first-run"), dir.resolve(folder));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SyncHarness(dir.resolve(folder), "bad");
  }

  @Test
  void missingModelPathNamesTheFileAndTheRun() {
    h.statuses("r2", list());
    SyncLogException e = failure("r2", Map.of("model.path", dir.resolve("nope").toString()));
    assertThat(e.code()).isEqualTo("MODEL_UNREADABLE");
    assertThat(e.getMessage())
        .contains("sync 'bad', run 'r2'")
        .contains(dir.resolve("nope").toString())
        .contains("model.path");
  }

  @Test
  void primaryKeyColumnMissingFromTheModel() {
    h.model(
        "r2",
        Rows.frame(
            new StructType().add("customer", DataTypes.LongType), List.of(row(1L), row(2L))));
    h.statuses("r2", list());
    SyncLogException e = failure("r2", Map.of());
    assertThat(e.code()).isEqualTo("MODEL_NO_PRIMARY_KEY");
    assertThat(e.getMessage()).contains("'id'").contains("customer").contains("model.primary-key");
  }

  @Test
  void malformedStatusFileIsNamed() throws Exception {
    h.model("r2", list(row(1L, "a@x.io", "free")));
    Path statuses = dir.resolve("statuses.json");
    Files.writeString(
        statuses, "{\"row_id\": \"1\", \"status\": \"succeeded\"}\nthis is not json\n");
    SyncLogException e =
        failure("r2", Map.of("statuses.path", statuses.toString(), "statuses.format", "json"));
    assertThat(e.code()).isEqualTo("STATUSES_MALFORMED");
    assertThat(e.getMessage()).contains("sync 'bad', run 'r2'").contains(statuses.toString());
  }

  @Test
  void statusFileWithoutStatusColumn() {
    h.model("r2", list(row(1L, "a@x.io", "free")));
    String path = dir.resolve("statuses-no-col").toString();
    Rows.frame(new StructType().add("row_id", DataTypes.StringType), List.of(row("1")))
        .write()
        .parquet(path);
    SyncLogException e = failure("r2", Map.of("statuses.path", path));
    assertThat(e.code()).isEqualTo("STATUSES_MALFORMED");
    assertThat(e.getMessage()).contains("column 'status' is missing");
  }

  @Test
  void missingStatusesPath() {
    h.model("r2", list(row(1L, "a@x.io", "free")));
    SyncLogException e =
        failure("r2", Map.of("statuses.path", dir.resolve("no-statuses").toString()));
    assertThat(e.code()).isEqualTo("STATUSES_UNREADABLE");
    assertThat(e.getMessage()).contains("no-statuses");
  }

  @Test
  void statusesThatDoNotMatchThePlanAreListedWithExamples() {
    h.model("r2", list(row(1L, "a@x.io", "pro"), row(3L, "c@x.io", "free")));
    h.statuses(
        "r2",
        list(
            row("1", "succeeded", null),
            row("1", "failed", "dup"),
            row("77", "succeeded", null),
            row("3", "done", null)));
    SyncLogException e = failure("r2", Map.of());
    assertThat(e.code()).isEqualTo("STATUSES_INVALID");
    assertThat(e.getMessage())
        .contains("not planned in this run, for example row_id ['77']")
        .contains("more than one status, for example row_id ['1']")
        .contains("other than succeeded, failed or aborted, for example ['done']")
        .contains("statuses.on-invalid=tolerate");
    // failure() also checked that the sync was not left claimed: the next run can claim it.
  }

  @Test
  void toleratedStatusesAreCountedNotDropped() {
    SyncHarness h = copyOfFirstRun("tolerate");
    h.model("r2", list(row(1L, "a@x.io", "pro"), row(3L, "c@x.io", "free")));
    h.statuses(
        "r2",
        list(
            row("1", "succeeded", null),
            row("1", "failed", "dup"),
            row("77", "succeeded", null),
            row("3", "done", null)));
    RunSummary summary = h.record("r2", Map.of("statuses.on-invalid", "tolerate"), FaultHook.NONE);
    assertThat(summary.toleratedStatusProblems()).isEqualTo(3);
    assertThat(summary.render()).contains("3 status problem(s) tolerated");
    assertThat(
            Rows.lines(
                h.table("sync_changelog").where("sync_run_id = 'r2'"),
                "row_id",
                "op_type",
                "status",
                "failed_reason"))
        .containsExactly(
            "1|changed|failed|dup",
            "2|removed|aborted|null",
            "3|added|failed|unknown status 'done' reported by the sync engine");
    assertThat(
            Rows.lines(
                h.table("sync_runs").where("sync_run_id = 'r2'"), "num_tolerated_status_problems"))
        .containsExactly("3");
  }

  @Test
  void keyProblemsCanFailTheWholeRun() {
    h.model("r2", list(row(1L, "a@x.io", "pro"), row(1L, "a2@x.io", "pro"), row(null, "n", "x")));
    h.statuses("r2", list());
    SyncLogException e = failure("r2", Map.of("model.on-key-problem", "fail"));
    assertThat(e.code()).isEqualTo("MODEL_KEY_PROBLEMS");
    assertThat(e.getMessage())
        .contains("1 row(s) with a null primary key and 2 row(s) sharing a duplicated primary key")
        .contains("model.on-key-problem=log");
  }

  @Test
  void schemaChangeCanFailTheRun() {
    h.model(
        "r2",
        Rows.frame(
            new StructType()
                .add("id", DataTypes.LongType)
                .add("email", DataTypes.StringType)
                .add("score", DataTypes.IntegerType),
            List.of(row(1L, "a@x.io", 5))));
    h.statuses("r2", list());
    SyncLogException e = failure("r2", Map.of("model.on-schema-change", "fail"));
    assertThat(e.code()).isEqualTo("MODEL_SCHEMA_CHANGED");
    assertThat(e.getMessage()).contains("score").contains("model.on-schema-change=resync");
  }

  @Test
  void schemaChangeResyncsEveryRowByDefault() {
    SyncHarness h = copyOfFirstRun("resync");
    h.model(
        "r2",
        Rows.frame(
            new StructType()
                .add("id", DataTypes.LongType)
                .add("email", DataTypes.StringType)
                .add("plan", DataTypes.StringType)
                .add("score", DataTypes.IntegerType),
            List.of(row(1L, "a@x.io", "free", 5), row(2L, "b@x.io", "pro", null))));
    h.statuses("r2", list(row("1", "succeeded", null), row("2", "succeeded", null)));
    h.record("r2");
    assertThat(
            Rows.lines(h.table("sync_changelog").where("sync_run_id = 'r2'"), "row_id", "op_type"))
        .containsExactly("1|changed", "2|changed");
    assertThat(Rows.lines(h.table("sync_snapshot").where("row_id = '2'"), "fields"))
        .containsExactly("{\"email\":\"b@x.io\",\"id\":2,\"plan\":\"pro\",\"score\":null}");
  }

  @Test
  void configProblemsAreAllReportedAtOnce() {
    assertThatThrownBy(
            () ->
                h.config(
                    "r2",
                    Map.of(
                        "model.on-key-problem", "explode",
                        "statuses.fromat", "csv",
                        "run.started-at", "yesterday")))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("3 problems")
        .hasMessageContaining("'model.on-key-problem' is 'explode'; expected one of log, fail")
        .hasMessageContaining(
            "unknown key 'statuses.fromat' in the command line (did you mean 'statuses.format'?)")
        .hasMessageContaining("'run.started-at' is 'yesterday'");
  }
}
