package io.synclog.log;

import static io.synclog.plan.Columns.ABORTED;
import static io.synclog.plan.Columns.ADDED;
import static io.synclog.plan.Columns.CHANGED;
import static io.synclog.plan.Columns.FAILED;
import static io.synclog.plan.Columns.REMOVED;
import static io.synclog.plan.Columns.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Run counts and the three tables' schemas; pure Java, no SparkSession. */
class RunCountsTest {

  private static RunCounts.Cell cell(String op, String status, long rows) {
    return new RunCounts.Cell(op, status, rows);
  }

  @Test
  void countsEachOpAndStatusAndKeepsTheInvariants() {
    RunCounts counts =
        RunCounts.of(
            List.of(
                cell(ADDED, SUCCEEDED, 5),
                cell(ADDED, FAILED, 2),
                cell(ADDED, ABORTED, 1),
                cell(CHANGED, SUCCEEDED, 7),
                cell(CHANGED, ABORTED, 3),
                cell(REMOVED, FAILED, 4)));
    assertThat(counts.of(ADDED)).isEqualTo(new RunCounts.Counts(5, 2, 1));
    assertThat(counts.of(CHANGED)).isEqualTo(new RunCounts.Counts(7, 0, 3));
    assertThat(counts.of(REMOVED)).isEqualTo(new RunCounts.Counts(0, 4, 0));
    for (String op : RunCounts.OPS) {
      RunCounts.Counts c = counts.of(op);
      assertThat(c.attempted())
          .as("%s attempted = succeeded + failed", op)
          .isEqualTo(c.succeeded() + c.failed());
      assertThat(c.planned())
          .as("%s planned = attempted + aborted", op)
          .isEqualTo(c.attempted() + c.aborted());
    }
    assertThat(counts.of(ADDED).attempted()).isEqualTo(7);
    assertThat(counts.of(ADDED).planned()).isEqualTo(8);
    assertThat(counts.totalPlanned()).isEqualTo(8 + 10 + 4);
    assertThat(counts.totalFailed()).isEqualTo(6);
    assertThat(counts.totalAborted()).isEqualTo(4);
  }

  @Test
  void cellsForTheSameOpAndStatusAddUp() {
    RunCounts counts =
        RunCounts.of(
            List.of(
                cell(CHANGED, FAILED, 2), cell(CHANGED, FAILED, 3), cell(CHANGED, SUCCEEDED, 1)));
    assertThat(counts.of(CHANGED)).isEqualTo(new RunCounts.Counts(1, 5, 0));
  }

  @Test
  void everyOpIsPresentWithZerosWhenNothingWasPlanned() {
    RunCounts counts = RunCounts.of(List.of());
    assertThat(counts.byOp()).containsOnlyKeys(ADDED, CHANGED, REMOVED);
    assertThat(counts.byOp().values()).containsOnly(new RunCounts.Counts(0, 0, 0));
    assertThat(counts.totalPlanned()).isZero();
  }

  @Test
  void unknownOpTypesAreRejected() {
    assertThatThrownBy(() -> RunCounts.of(List.of(cell("unchanged", SUCCEEDED, 1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unchanged");
    assertThatThrownBy(() -> RunCounts.of(List.of(cell("Added", SUCCEEDED, 1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Added");
  }

  @Test
  void unknownStatusesAreRejected() {
    assertThatThrownBy(() -> RunCounts.of(List.of(cell(ADDED, "skipped", 1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("skipped");
    // Statuses are normalised by the merge; a raw engine value is not counted silently.
    assertThatThrownBy(() -> RunCounts.of(List.of(cell(REMOVED, "Succeeded", 1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Succeeded");
  }

  @Test
  void countsAreImmutable() {
    RunCounts counts = RunCounts.of(List.of(cell(ADDED, SUCCEEDED, 1)));
    assertThatThrownBy(() -> counts.byOp().put(ADDED, new RunCounts.Counts(9, 9, 9)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  // ---- the tables' schemas ----------------------------------------------------------------

  static final List<String> CHANGELOG_SPEC =
      List.of("sync_id", "sync_run_id", "op_type", "row_id", "status", "failed_reason", "fields");
  static final List<String> SNAPSHOT_SPEC =
      List.of("sync_id", "op_type", "row_id", "status", "failed_reason", "fields");
  static final List<String> RUNS_SPEC =
      List.of(
          "sync_id",
          "sync_run_id",
          "primary_key",
          "destination",
          "model_name",
          "model_id",
          "status",
          "error",
          "started_at",
          "finished_at",
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
          "num_failed_remove");

  private static List<String> names(StructType schema) {
    return Arrays.asList(schema.fieldNames());
  }

  private static List<String> with(List<String> spec, String extra) {
    List<String> out = new ArrayList<>(spec);
    out.add(extra);
    return out;
  }

  private static void assertSpecThenExtras(StructType schema, List<String> spec) {
    List<String> names = names(schema);
    assertThat(names.subList(0, Math.min(spec.size(), names.size())))
        .as("the reference's columns, in order, first: %s", names)
        .containsExactlyElementsOf(spec);
    assertThat(names.subList(spec.size(), names.size()))
        .as("extras after the reference's columns")
        .doesNotContainAnyElementsOf(spec)
        .doesNotContain("split_group")
        .doesNotHaveDuplicates();
  }

  @Test
  void changelogColumnsAreTheReferencesInOrderThenExtras() {
    assertSpecThenExtras(LogTables.changelogSchema(false), CHANGELOG_SPEC);
    assertSpecThenExtras(LogTables.changelogSchema(true), with(CHANGELOG_SPEC, "split_group"));
    assertThat(names(LogTables.changelogSchema(false))).doesNotContain("split_group");
  }

  @Test
  void snapshotColumnsAreTheReferencesInOrderThenExtras() {
    assertSpecThenExtras(LogTables.snapshotSchema(false), SNAPSHOT_SPEC);
    assertSpecThenExtras(LogTables.snapshotSchema(true), with(SNAPSHOT_SPEC, "split_group"));
    assertThat(names(LogTables.snapshotSchema(false))).doesNotContain("split_group");
  }

  @Test
  void runsColumnsAreTheReferencesInOrderThenExtras() {
    assertSpecThenExtras(LogTables.runsSchema(), RUNS_SPEC);
    StructType runs = LogTables.runsSchema();
    for (String c : RUNS_SPEC) {
      StructField f = runs.apply(c);
      if (c.startsWith("num_")) {
        assertThat(f.dataType()).as(c).isEqualTo(DataTypes.LongType);
      } else if (c.endsWith("_at")) {
        assertThat(f.dataType()).as(c).isEqualTo(DataTypes.TimestampType);
      } else {
        assertThat(f.dataType()).as(c).isEqualTo(DataTypes.StringType);
      }
    }
  }

  @Test
  void countColumnNamesFollowTheOpType() {
    assertThat(LogTables.countColumn("planned", ADDED)).isEqualTo("num_planned_add");
    assertThat(LogTables.countColumn("attempted", CHANGED)).isEqualTo("num_attempted_change");
    assertThat(LogTables.countColumn("failed", REMOVED)).isEqualTo("num_failed_remove");
    assertThat(LogTables.COUNT_COLUMNS).containsExactlyElementsOf(RUNS_SPEC.subList(10, 22));
  }

  private static RunRecord record() {
    RunCounts counts =
        RunCounts.of(
            List.of(
                cell(ADDED, SUCCEEDED, 11),
                cell(ADDED, FAILED, 2),
                cell(ADDED, ABORTED, 3),
                cell(CHANGED, SUCCEEDED, 5),
                cell(CHANGED, FAILED, 7),
                cell(REMOVED, ABORTED, 13)));
    return new RunRecord(
        "s1",
        "r1",
        "id",
        "Salesforce",
        "customers",
        "m1",
        "succeeded",
        null,
        Instant.parse("2026-01-31T12:00:00.123456Z"),
        Instant.parse("2026-01-31T12:05:00Z"),
        counts,
        4,
        1,
        "id BIGINT",
        Instant.parse("2026-01-31T12:06:00Z"));
  }

  /** The row as a table scan would return it: with the runs schema, so columns resolve by name. */
  private static Row withSchema(Row row) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    return new GenericRowWithSchema(values, LogTables.runsSchema());
  }

  @Test
  void runRowPutsEachCountUnderItsColumn() {
    RunRecord r = record();
    Row row = withSchema(LogTables.runRow(r));
    assertThat(row.length()).isEqualTo(LogTables.runsSchema().size());
    Map<String, Long> expected =
        Map.ofEntries(
            Map.entry("num_planned_add", 16L),
            Map.entry("num_planned_change", 12L),
            Map.entry("num_planned_remove", 13L),
            Map.entry("num_attempted_add", 13L),
            Map.entry("num_attempted_change", 12L),
            Map.entry("num_attempted_remove", 0L),
            Map.entry("num_succeeded_add", 11L),
            Map.entry("num_succeeded_change", 5L),
            Map.entry("num_succeeded_remove", 0L),
            Map.entry("num_failed_add", 2L),
            Map.entry("num_failed_change", 7L),
            Map.entry("num_failed_remove", 0L));
    expected.forEach(
        (column, value) -> assertThat(row.<Long>getAs(column)).as(column).isEqualTo(value));
    assertThat(row.<String>getAs("destination")).isEqualTo("Salesforce");
    assertThat(row.<java.sql.Timestamp>getAs("started_at").toInstant())
        .isEqualTo(Instant.parse("2026-01-31T12:00:00.123456Z"));
  }

  @Test
  void runRowReadsBackToTheSameRecord() {
    RunRecord r = record();
    Row row = withSchema(LogTables.runRow(r));
    assertThat(LogTables.runRecord(row)).isEqualTo(r);
  }
}
