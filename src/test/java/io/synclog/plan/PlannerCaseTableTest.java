package io.synclog.plan;

import static io.synclog.plan.Columns.ABORTED;
import static io.synclog.plan.Columns.ADDED;
import static io.synclog.plan.Columns.CHANGED;
import static io.synclog.plan.Columns.FAILED;
import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.FIELDS_HASH;
import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.REJECTED_REASON;
import static io.synclog.plan.Columns.REMOVED;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.SUCCEEDED;
import static io.synclog.plan.Columns.UNCHANGED;
import static io.synclog.testing.Rows.row;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The diff as one exhaustive case table: every model state against every snapshot state the status
 * merge can leave behind. All cases live in ONE model and ONE snapshot (a distinct row_id per
 * case), planned once; each test then reads its cases from that single plan.
 */
@ExtendWith(SparkExtension.class)
class PlannerCaseTableTest {

  static final String PK = "id";

  static final StructType MODEL =
      new StructType()
          .add(ROW_ID, DataTypes.StringType)
          .add(FIELDS, DataTypes.StringType)
          .add(SPLIT_GROUP, DataTypes.StringType);

  static final StructType SNAPSHOT =
      new StructType()
          .add(Columns.OP_TYPE, DataTypes.StringType)
          .add(ROW_ID, DataTypes.StringType)
          .add(Columns.STATUS, DataTypes.StringType)
          .add(Columns.FAILED_REASON, DataTypes.StringType)
          .add(FIELDS, DataTypes.StringType)
          .add(SPLIT_GROUP, DataTypes.StringType)
          .add(Columns.IN_DESTINATION, DataTypes.BooleanType)
          .add(Columns.LAST_SYNC_RUN_ID, DataTypes.StringType);

  /** What the model holds for a case's key. */
  enum ModelState {
    ABSENT("model absent"),
    SAME("model same fields"),
    DIFFERENT("model different fields"),
    DUPLICATED("model key duplicated");

    final String text;

    ModelState(String text) {
      this.text = text;
    }
  }

  /** A snapshot row's state: its op_type, last status and whether the destination holds it. */
  record SnapshotState(String op, String status, boolean inDestination) {
    @Override
    public String toString() {
      return "snapshot " + op + "/" + status + "/in_destination=" + inDestination;
    }
  }

  static final String NONE = "none";
  static final String REJECTED = "changed, rejected";
  static final String REJECTED_ADD = "added, rejected";

  /**
   * The snapshot states the status merge can produce, with the expected plan for each model state.
   * Columns: snapshot op_type, status, in_destination | model absent | same fields | different
   * fields | duplicated key.
   *
   * <p>Combinations left out because no run can leave them in the snapshot:
   *
   * <ul>
   *   <li>added/succeeded/in_destination=false: a succeeded add always sets in_destination;
   *   <li>added/failed or aborted/in_destination=true: an add is planned only when the destination
   *       never received the row, and a failed or aborted add leaves in_destination false;
   *   <li>changed or removed with in_destination=false: both are planned only for rows the
   *       destination holds, and the merge keeps in_destination true for them;
   *   <li>removed/succeeded (either in_destination): a successful removal leaves the snapshot;
   *   <li>unchanged with failed/aborted or in_destination=false: only rows not planned are carried
   *       as unchanged, and a failed/aborted row is always planned again (or dropped when the
   *       destination never got it), so carried rows are succeeded and in the destination.
   * </ul>
   */
  static final Object[][] TABLE = {
    {ADDED, SUCCEEDED, true, REMOVED, NONE, CHANGED, REJECTED},
    {ADDED, FAILED, false, NONE, ADDED, ADDED, REJECTED},
    {ADDED, ABORTED, false, NONE, ADDED, ADDED, REJECTED},
    {CHANGED, SUCCEEDED, true, REMOVED, NONE, CHANGED, REJECTED},
    {CHANGED, FAILED, true, REMOVED, CHANGED, CHANGED, REJECTED},
    {CHANGED, ABORTED, true, REMOVED, CHANGED, CHANGED, REJECTED},
    {REMOVED, FAILED, true, REMOVED, CHANGED, CHANGED, REJECTED},
    {REMOVED, ABORTED, true, REMOVED, CHANGED, CHANGED, REJECTED},
    {UNCHANGED, SUCCEEDED, true, REMOVED, NONE, CHANGED, REJECTED},
  };

  /** One case: a row_id, the model's and the snapshot's state for it, and the expected op. */
  record Case(String rowId, ModelState model, SnapshotState snapshot, String expected) {
    String describe() {
      String snap = snapshot == null ? "snapshot absent" : snapshot.toString();
      String m = model == ModelState.SAME && snapshot == null ? "model present" : model.text;
      return rowId + " " + m + " x " + snap;
    }

    String snapshotFields() {
      return "{\"v\":\"snapshot-" + rowId + "\"}";
    }

    /** The model rows' fields for this case (two for a duplicated key). */
    List<String> modelFields() {
      return switch (model) {
        case ABSENT -> List.of();
        case SAME ->
            List.of(snapshot == null ? "{\"v\":\"model-" + rowId + "\"}" : snapshotFields());
        case DIFFERENT -> List.of("{\"v\":\"model-" + rowId + "\"}");
        case DUPLICATED ->
            List.of(
                snapshot == null ? "{\"v\":\"model-" + rowId + "\"}" : snapshotFields(),
                "{\"v\":\"model2-" + rowId + "\"}");
      };
    }
  }

  static final List<Case> CASES = cases();
  static List<Row> plan;
  static Map<String, Case> byRowId;

  private static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (Object[] t : TABLE) {
      SnapshotState s = new SnapshotState((String) t[0], (String) t[1], (Boolean) t[2]);
      ModelState[] models = ModelState.values();
      for (int i = 0; i < models.length; i++) {
        out.add(new Case(String.format("k%02d", out.size()), models[i], s, (String) t[3 + i]));
      }
    }
    // No snapshot row: a model row is new. (Model absent too would be no row at all.)
    out.add(new Case(String.format("k%02d", out.size()), ModelState.SAME, null, ADDED));
    out.add(
        new Case(String.format("k%02d", out.size()), ModelState.DUPLICATED, null, REJECTED_ADD));
    return out;
  }

  static Dataset<Row> model(List<Row> rows) {
    return Rows.frame(MODEL, rows).withColumn(FIELDS_HASH, xxhash64(col(FIELDS)));
  }

  static Dataset<Row> snapshot(List<Row> rows) {
    return Rows.frame(SNAPSHOT, rows).withColumn(FIELDS_HASH, xxhash64(col(FIELDS)));
  }

  @BeforeAll
  static void planAllCasesOnce() {
    List<Row> modelRows = new ArrayList<>();
    List<Row> snapshotRows = new ArrayList<>();
    for (Case c : CASES) {
      for (String f : c.modelFields()) {
        modelRows.add(row(c.rowId(), f, "model-group"));
      }
      if (c.snapshot() != null) {
        SnapshotState s = c.snapshot();
        String reason = FAILED.equals(s.status()) ? "bad email" : null;
        snapshotRows.add(
            row(
                s.op(),
                c.rowId(),
                s.status(),
                reason,
                c.snapshotFields(),
                "snapshot-group",
                s.inDestination(),
                "r0"));
      }
    }
    // Two model rows with a null primary key: each is rejected on its own.
    modelRows.add(row(null, "{\"v\":\"null-key-1\"}", "model-group"));
    modelRows.add(row(null, "{\"v\":\"null-key-2\"}", "model-group"));
    plan = Planner.plan(model(modelRows), snapshot(snapshotRows), PK).collectAsList();
    byRowId = new LinkedHashMap<>();
    CASES.forEach(c -> byRowId.put(c.rowId(), c));
  }

  private static String kind(Row r) {
    String op = r.getAs(OP_TYPE);
    return r.getAs(REJECTED_REASON) == null ? op : op + ", rejected";
  }

  private static String describe(Row r) {
    String rowId = r.getAs(ROW_ID);
    return rowId == null ? "null key" : byRowId.get(rowId).describe();
  }

  @Test
  void everyCaseIsPlannedAsTheTableSays() {
    List<String> expected = new ArrayList<>();
    for (Case c : CASES) {
      for (int i = 0; i < (c.model() == ModelState.DUPLICATED ? 2 : 1); i++) {
        if (!c.expected().equals(NONE)) {
          expected.add(c.describe() + " -> " + c.expected());
        }
      }
    }
    List<String> actual =
        plan.stream()
            .filter(r -> r.getAs(ROW_ID) != null)
            .map(r -> describe(r) + " -> " + kind(r))
            .sorted()
            .collect(Collectors.toList());
    assertThat(actual)
        .as("plan of every (model, snapshot) case, as 'case -> op'")
        .containsExactlyElementsOf(expected.stream().sorted().collect(Collectors.toList()));
  }

  @Test
  void casesPlanningNothingAreAbsentFromThePlan() {
    List<String> unplanned =
        CASES.stream()
            .filter(c -> c.expected().equals(NONE))
            .map(Case::describe)
            .collect(Collectors.toList());
    // Sanity: the table does have such cases (unchanged rows and adds that never landed).
    assertThat(unplanned).hasSize(5);
    List<String> plannedCases =
        plan.stream()
            .filter(r -> r.getAs(ROW_ID) != null)
            .map(PlannerCaseTableTest::describe)
            .collect(Collectors.toList());
    assertThat(plannedCases)
        .as("cases that must plan nothing")
        .doesNotContainAnyElementsOf(unplanned);
  }

  @Test
  void plannedRowsCarryModelFieldsAndSplitGroupElseTheSnapshots() {
    List<String> expected = new ArrayList<>();
    List<String> actual = new ArrayList<>();
    for (Row r : plan) {
      String rowId = r.getAs(ROW_ID);
      if (rowId == null) {
        continue;
      }
      Case c = byRowId.get(rowId);
      String fields = r.getAs(FIELDS);
      String origin =
          c.modelFields().contains(fields)
              ? "model"
              : fields.equals(c.snapshotFields()) ? "snapshot" : "other: " + fields;
      actual.add(c.describe() + " -> fields from " + origin + ", group " + r.getAs(SPLIT_GROUP));
      String from = c.model() == ModelState.ABSENT ? "snapshot" : "model";
      expected.add(c.describe() + " -> fields from " + from + ", group " + from + "-group");
    }
    assertThat(actual.stream().sorted().toList())
        .containsExactlyElementsOf(expected.stream().sorted().toList());
  }

  @Test
  void fieldsHashIsCarriedWithTheFields() {
    Row first = plan.get(0);
    String fields = first.getAs(FIELDS);
    long hash =
        SparkExtension.spark()
            .range(1)
            .select(xxhash64(org.apache.spark.sql.functions.lit(fields)))
            .first()
            .getLong(0);
    assertThat(first.<Long>getAs(FIELDS_HASH))
        .as("fields_hash of %s", describe(first))
        .isEqualTo(hash);
    // Every row with the same fields has the same hash, different fields a different hash.
    Map<String, Long> hashByFields = new LinkedHashMap<>();
    for (Row r : plan) {
      Long previous = hashByFields.putIfAbsent(r.getAs(FIELDS), r.getAs(FIELDS_HASH));
      if (previous != null) {
        assertThat(r.<Long>getAs(FIELDS_HASH)).as(describe(r)).isEqualTo(previous);
      }
    }
    assertThat(hashByFields.values()).doesNotHaveDuplicates();
  }

  @Test
  void nullKeysAreEachRejectedAsAddedNamingTheKeyColumn() {
    List<String> nullKeyRows =
        plan.stream()
            .filter(r -> r.getAs(ROW_ID) == null)
            .map(r -> r.getAs(OP_TYPE) + "|" + r.getAs(FIELDS) + "|" + r.getAs(REJECTED_REASON))
            .sorted()
            .toList();
    assertThat(nullKeyRows)
        .containsExactly(
            "added|{\"v\":\"null-key-1\"}|null primary key: id is null",
            "added|{\"v\":\"null-key-2\"}|null primary key: id is null");
  }

  @Test
  void duplicatedKeysAreRejectedWithTheCountAndTheKey() {
    Case dup =
        CASES.stream()
            .filter(c -> c.model() == ModelState.DUPLICATED && c.snapshot() != null)
            .findFirst()
            .orElseThrow();
    List<String> reasons =
        plan.stream()
            .filter(r -> dup.rowId().equals(r.getAs(ROW_ID)))
            .map(r -> r.<String>getAs(REJECTED_REASON))
            .toList();
    assertThat(reasons)
        .as(dup.describe())
        .containsExactly(
            "duplicate primary key: 2 model rows have id = '" + dup.rowId() + "'",
            "duplicate primary key: 2 model rows have id = '" + dup.rowId() + "'");
  }

  @Test
  void onlyNonDuplicatedKeysWithoutProblemsAreSendable() {
    Dataset<Row> all = Rows.frame(planSchema(), plan);
    List<String> sendable = Rows.lines(Planner.sendable(all), ROW_ID);
    List<String> expected =
        CASES.stream()
            .filter(c -> !c.expected().equals(NONE) && c.model() != ModelState.DUPLICATED)
            .map(Case::rowId)
            .sorted()
            .toList();
    assertThat(sendable).as("sendable row_ids").containsExactlyElementsOf(expected);
  }

  @Test
  void planHasThePlanColumnsInOrder() {
    assertThat(planSchema().fieldNames()).containsExactly(Planner.PLAN_COLUMNS);
    assertThat(plan.get(0).schema().fieldNames()).containsExactly(Planner.PLAN_COLUMNS);
  }

  private static StructType planSchema() {
    return plan.get(0).schema();
  }

  @Test
  void firstRunAgainstAnEmptySnapshotAddsEveryRow() {
    Dataset<Row> model = model(List.of(row("1", "{\"a\":1}", null), row("2", "{\"a\":2}", null)));
    List<String> lines =
        Rows.lines(Planner.plan(model, snapshot(List.of()), PK), ROW_ID, OP_TYPE, REJECTED_REASON);
    assertThat(lines).containsExactly("1|added|null", "2|added|null");
  }

  private static Dataset<Row> prepareWithJson(
      Dataset<Row> model, String pk, ModelRows.Splits splits) {
    return ModelRows.withFieldsJson(ModelRows.prepare(model, pk, splits));
  }

  @Test
  void preparedModelAgainstSnapshotOfThePreparedPreviousModel() {
    StructType customer =
        new StructType()
            .add("id", DataTypes.LongType)
            .add("email", DataTypes.StringType)
            .add("score", DataTypes.createDecimalType(10, 2));
    Dataset<Row> before =
        prepareWithJson(
            Rows.frame(
                customer,
                row(1L, "a@x", new java.math.BigDecimal("1.50")),
                row(2L, "b@x", new java.math.BigDecimal("2.00")),
                row(3L, "c@x", null)),
            "id",
            ModelRows.Splits.none());
    Dataset<Row> previous =
        before
            .withColumn(Columns.OP_TYPE, org.apache.spark.sql.functions.lit(ADDED))
            .withColumn(Columns.STATUS, org.apache.spark.sql.functions.lit(SUCCEEDED))
            .withColumn(
                Columns.FAILED_REASON, org.apache.spark.sql.functions.lit(null).cast("string"))
            .withColumn(Columns.IN_DESTINATION, org.apache.spark.sql.functions.lit(true))
            .withColumn(Columns.LAST_SYNC_RUN_ID, org.apache.spark.sql.functions.lit("r1"));
    // Same rows with the columns in another order; row 2's score changes scale only in the
    // literal (2.0 stored as decimal(10,2) is 2.00), row 3 gains a score, row 1 leaves.
    StructType reordered =
        new StructType()
            .add("score", DataTypes.createDecimalType(10, 2))
            .add("email", DataTypes.StringType)
            .add("id", DataTypes.LongType);
    Dataset<Row> now =
        ModelRows.prepare(
            Rows.frame(
                reordered,
                row(new java.math.BigDecimal("2.0"), "b@x", 2L),
                row(new java.math.BigDecimal("3.00"), "c@x", 3L),
                row(null, "d@x", 4L)),
            "id",
            ModelRows.Splits.none());
    assertThat(Rows.lines(Planner.plan(now, previous, "id"), ROW_ID, OP_TYPE))
        .containsExactly("1|removed", "3|changed", "4|added");
  }
}
