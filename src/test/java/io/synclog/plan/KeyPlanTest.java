package io.synclog.plan;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.SUCCEEDED;
import static io.synclog.plan.Columns.UNCHANGED;
import static io.synclog.testing.Rows.row;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diff in two steps: the key plan never touches the snapshot's fields, and completing it gives
 * removed rows their last fields, whether their keys are broadcast or joined.
 */
@ExtendWith(SparkExtension.class)
class KeyPlanTest {
  private static final List<Row> MODEL =
      List.of(
          row("a", "{\"v\":1}", null), // unchanged
          row("b", "{\"v\":20}", null), // changed
          row("d", "{\"v\":4}", null)); // added

  private static final List<Row> SNAPSHOT =
      List.of(
          row(UNCHANGED, "a", SUCCEEDED, null, "{\"v\":1}", null, true, "r1"),
          row(UNCHANGED, "b", SUCCEEDED, null, "{\"v\":2}", null, true, "r1"),
          row(UNCHANGED, "c", SUCCEEDED, null, "{\"v\":3}", null, true, "r1")); // removed

  @TempDir static Path dir;

  /**
   * The snapshot, but reading any row's fields fails the Spark job. It is read from Parquet, not
   * from local rows, which the optimizer would evaluate whole before pruning any column.
   */
  private static Dataset<Row> snapshotWithUnreadableFields() {
    String path = dir.resolve("snapshot").toString();
    PlannerCaseTableTest.snapshot(SNAPSHOT).write().mode("overwrite").parquet(path);
    Dataset<Row> s = SparkExtension.spark().read().parquet(path);
    return s.withColumn(
        FIELDS, when(col(ROW_ID).isNotNull(), raise_error(lit("fields were read"))).cast("string"));
  }

  @Test
  void theKeyPlanNeverReadsTheSnapshotsFields() {
    Dataset<Row> unreadable = snapshotWithUnreadableFields();
    Dataset<Row> keyPlan =
        Planner.keyPlan(PlannerCaseTableTest.model(MODEL), unreadable, PlannerCaseTableTest.PK);
    assertThat(Rows.lines(keyPlan, ROW_ID, OP_TYPE, FIELDS))
        .as("the key plan carries no fields at all")
        .containsExactly("b|changed|null", "c|removed|null", "d|added|null");
    // The guard is real: completing the plan must read the removed row's fields, and fails.
    assertThatThrownBy(() -> Planner.withRemovedFields(keyPlan, unreadable, 1).collect())
        .hasStackTraceContaining("fields were read");
  }

  /**
   * The model, but writing the fields of row a (unchanged) fails the Spark job: it stands for the
   * JSON of a row the run does not plan, which must never be written.
   */
  private static Dataset<Row> modelWithUnwritableUnplannedFields() {
    String path = dir.resolve("model").toString();
    PlannerCaseTableTest.model(MODEL).write().mode("overwrite").parquet(path);
    Dataset<Row> m = SparkExtension.spark().read().parquet(path);
    return m.withColumn(
        FIELDS,
        when(col(ROW_ID).equalTo("a"), raise_error(lit("unplanned fields were written")))
            .otherwise(col(FIELDS))
            .cast("string"));
  }

  /**
   * A usual run (few planned keys, broadcast) never evaluates an unplanned row's fields. (With more
   * planned keys than {@link Planner#BROADCAST_PLANNED_ROWS}, the model rows are shuffled to the
   * join with their fields struct; the JSON is still written after the join, for planned rows.)
   */
  @Test
  void onlyPlannedRowsFieldsAreWritten() {
    Dataset<Row> model = modelWithUnwritableUnplannedFields();
    Dataset<Row> previous = PlannerCaseTableTest.snapshot(SNAPSHOT);
    Dataset<Row> keyPlan = Planner.keyPlan(model, previous, PlannerCaseTableTest.PK);
    assertThat(Rows.lines(Planner.withFields(keyPlan, model, 2), ROW_ID, OP_TYPE, FIELDS))
        .containsExactly("b|changed|{\"v\":20}", "c|removed|null", "d|added|{\"v\":4}");
    // The guard is real: writing every row's fields fails.
    assertThatThrownBy(() -> model.select(FIELDS).collect())
        .hasStackTraceContaining("unplanned fields were written");
  }

  @Test
  void removedRowsGetTheirLastFieldsWithOrWithoutBroadcast() {
    Dataset<Row> previous = PlannerCaseTableTest.snapshot(SNAPSHOT);
    Dataset<Row> keyPlan =
        Planner.keyPlan(PlannerCaseTableTest.model(MODEL), previous, PlannerCaseTableTest.PK);
    List<String> expected =
        List.of("b|changed|{\"v\":20}", "c|removed|{\"v\":3}", "d|added|{\"v\":4}");
    Dataset<Row> withFields = Planner.withFields(keyPlan, PlannerCaseTableTest.model(MODEL), 2);
    assertThat(
            Rows.lines(Planner.withRemovedFields(withFields, previous, 1), ROW_ID, OP_TYPE, FIELDS))
        .as("removed keys broadcast")
        .containsExactlyElementsOf(expected);
    assertThat(
            Rows.lines(
                Planner.withRemovedFields(
                    Planner.withFields(keyPlan, PlannerCaseTableTest.model(MODEL), Long.MAX_VALUE),
                    previous,
                    Long.MAX_VALUE),
                ROW_ID,
                OP_TYPE,
                FIELDS))
        .as("removed keys joined")
        .containsExactlyElementsOf(expected);
    assertThat(
            Rows.lines(
                Planner.plan(PlannerCaseTableTest.model(MODEL), previous, "id"),
                ROW_ID,
                OP_TYPE,
                FIELDS))
        .as("the one-step plan")
        .containsExactlyElementsOf(expected);
  }
}
