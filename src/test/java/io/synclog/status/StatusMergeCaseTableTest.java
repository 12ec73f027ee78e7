package io.synclog.status;

import static io.synclog.plan.Columns.ABORTED;
import static io.synclog.plan.Columns.ADDED;
import static io.synclog.plan.Columns.CHANGED;
import static io.synclog.plan.Columns.FAILED;
import static io.synclog.plan.Columns.FAILED_REASON;
import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.FIELDS_HASH;
import static io.synclog.plan.Columns.IN_DESTINATION;
import static io.synclog.plan.Columns.LAST_SYNC_RUN_ID;
import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.REJECTED_REASON;
import static io.synclog.plan.Columns.REMOVED;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.STATUS;
import static io.synclog.plan.Columns.SUCCEEDED;
import static io.synclog.plan.Columns.UNCHANGED;
import static io.synclog.testing.Rows.row;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.log.SnapshotChange;
import io.synclog.plan.Planner;
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
 * The status merge as one case table: every planned op against every kind of reported status, plus
 * rejected, carried, held and dropped rows, all merged ONCE; then {@link StatusCheck} and the
 * worst-status rule of {@link StatusMerge#resolve}.
 */
@ExtendWith(SparkExtension.class)
class StatusMergeCaseTableTest {
  static final String RUN = "r1";

  static final StructType PLAN =
      new StructType()
          .add(ROW_ID, DataTypes.StringType)
          .add(OP_TYPE, DataTypes.StringType)
          .add(FIELDS, DataTypes.StringType)
          .add(SPLIT_GROUP, DataTypes.StringType)
          .add(REJECTED_REASON, DataTypes.StringType);

  static final StructType STATUSES =
      new StructType()
          .add(ROW_ID, DataTypes.StringType)
          .add(STATUS, DataTypes.StringType)
          .add(FAILED_REASON, DataTypes.StringType);

  static final StructType SNAPSHOT =
      new StructType()
          .add(OP_TYPE, DataTypes.StringType)
          .add(ROW_ID, DataTypes.StringType)
          .add(STATUS, DataTypes.StringType)
          .add(FAILED_REASON, DataTypes.StringType)
          .add(FIELDS, DataTypes.StringType)
          .add(SPLIT_GROUP, DataTypes.StringType)
          .add(IN_DESTINATION, DataTypes.BooleanType)
          .add(LAST_SYNC_RUN_ID, DataTypes.StringType);

  static Dataset<Row> plan(List<Row> rows) {
    return Rows.frame(PLAN, rows)
        .withColumn(FIELDS_HASH, xxhash64(col(FIELDS)))
        .select(io.synclog.plan.Columns.cols(Planner.PLAN_COLUMNS));
  }

  static Dataset<Row> statuses(Row... rows) {
    return Rows.frame(STATUSES, rows);
  }

  static Dataset<Row> snapshot(List<Row> rows) {
    return Rows.frame(SNAPSHOT, rows)
        .withColumn(FIELDS_HASH, xxhash64(col(FIELDS)))
        .select(io.synclog.plan.Columns.cols(StatusMerge.SNAPSHOT_COLUMNS));
  }

  static final String NO_STATUS = "(none)";
  static final String GONE = "(not in snapshot)";

  /**
   * Columns: planned op | reported status | reported reason | changelog "status|reason" | next
   * snapshot "op|status|reason|in_destination" (or not in it). Every planned row's snapshot entry
   * also gets this run's id and the plan's fields, checked below.
   */
  static final String[][] TABLE = {
    {ADDED, SUCCEEDED, null, "succeeded|null", "added|succeeded|null|true"},
    {ADDED, FAILED, "rate limited", "failed|rate limited", "added|failed|rate limited|false"},
    {ADDED, FAILED, null, "failed|null", "added|failed|null|false"},
    {ADDED, ABORTED, null, "aborted|null", "added|aborted|null|false"},
    {ADDED, NO_STATUS, null, "aborted|null", "added|aborted|null|false"},
    {ADDED, " Succeeded ", "stray", "succeeded|null", "added|succeeded|null|true"},
    {ADDED, "ABORTED", "stray", "aborted|null", "added|aborted|null|false"},
    {CHANGED, SUCCEEDED, null, "succeeded|null", "changed|succeeded|null|true"},
    {CHANGED, FAILED, "rate limited", "failed|rate limited", "changed|failed|rate limited|true"},
    {CHANGED, FAILED, null, "failed|null", "changed|failed|null|true"},
    {CHANGED, ABORTED, null, "aborted|null", "changed|aborted|null|true"},
    {CHANGED, NO_STATUS, null, "aborted|null", "changed|aborted|null|true"},
    {CHANGED, " Succeeded ", "stray", "succeeded|null", "changed|succeeded|null|true"},
    {CHANGED, "ABORTED", "stray", "aborted|null", "changed|aborted|null|true"},
    {REMOVED, SUCCEEDED, null, "succeeded|null", GONE},
    {REMOVED, FAILED, "rate limited", "failed|rate limited", "removed|failed|rate limited|true"},
    {REMOVED, FAILED, null, "failed|null", "removed|failed|null|true"},
    {REMOVED, ABORTED, null, "aborted|null", "removed|aborted|null|true"},
    {REMOVED, NO_STATUS, null, "aborted|null", "removed|aborted|null|true"},
    {REMOVED, " Succeeded ", "stray", "succeeded|null", GONE},
    {REMOVED, "ABORTED", "stray", "aborted|null", "removed|aborted|null|true"},
  };

  static final String DUP_REASON = "duplicate primary key: 2 model rows have id = '%s'";
  static final String NULL_REASON = "null primary key: id is null";

  static final Map<String, String> describe = new LinkedHashMap<>();
  static final List<String> expectedChangelog = new ArrayList<>();
  static final List<String> expectedSnapshot = new ArrayList<>();
  static List<Row> changelog;
  static List<Row> next;
  static long planRows;

  /** Builds every case into one plan, one set of statuses and one previous snapshot. */
  @BeforeAll
  static void mergeAllCasesOnce() {
    List<Row> planRowsList = new ArrayList<>();
    List<Row> statusRows = new ArrayList<>();
    List<Row> previousRows = new ArrayList<>();
    for (int i = 0; i < TABLE.length; i++) {
      String[] t = TABLE[i];
      String id = String.format("p%02d", i);
      String desc =
          t[0] + " reported '" + t[1] + "'" + (t[2] == null ? "" : " reason '" + t[2] + "'");
      describe.put(id, desc);
      String newFields = "{\"v\":\"new-" + id + "\"}";
      if (!t[0].equals(ADDED)) {
        // changed and removed rows are in the destination, as the last run left them.
        String prevOp = t[0].equals(CHANGED) ? CHANGED : UNCHANGED;
        previousRows.add(
            row(prevOp, id, SUCCEEDED, null, "{\"v\":\"old-" + id + "\"}", "g", true, "r0"));
      }
      String fields = t[0].equals(REMOVED) ? "{\"v\":\"old-" + id + "\"}" : newFields;
      planRowsList.add(row(id, t[0], fields, "g", null));
      if (!t[1].equals(NO_STATUS)) {
        statusRows.add(row(id, t[1], t[2]));
      }
      expectedChangelog.add(desc + " -> " + t[0] + "|" + t[3] + "|" + fields);
      expectedSnapshot.add(
          desc + " -> " + (t[4].equals(GONE) ? GONE : t[4] + "|" + RUN + "|" + fields + "|g"));
    }

    // An add retried after a failed add: the old failed row is replaced.
    describe.put("retry", "added retried after failed add, reported succeeded");
    previousRows.add(
        row(ADDED, "retry", FAILED, "old reason", "{\"v\":\"old\"}", "g", false, "r0"));
    planRowsList.add(row("retry", ADDED, "{\"v\":\"new\"}", "g", null));
    statusRows.add(row("retry", SUCCEEDED, null));
    expectedChangelog.add(describe.get("retry") + " -> added|succeeded|null|{\"v\":\"new\"}");
    expectedSnapshot.add(
        describe.get("retry") + " -> added|succeeded|null|true|r1|{\"v\":\"new\"}|g");

    // Two statuses for one planned row: the worst wins, and the changelog still has one row.
    describe.put("twice", "changed reported succeeded and failed");
    previousRows.add(row(CHANGED, "twice", SUCCEEDED, null, "{\"v\":\"old\"}", "g", true, "r0"));
    planRowsList.add(row("twice", CHANGED, "{\"v\":\"new\"}", "g", null));
    statusRows.add(row("twice", SUCCEEDED, null));
    statusRows.add(row("twice", FAILED, "timeout"));
    expectedChangelog.add(describe.get("twice") + " -> changed|failed|timeout|{\"v\":\"new\"}");
    expectedSnapshot.add(
        describe.get("twice") + " -> changed|failed|timeout|true|r1|{\"v\":\"new\"}|g");

    // Not planned, in the destination: carried as unchanged with last status and run.
    describe.put("carried", "unplanned changed/succeeded row");
    previousRows.add(row(CHANGED, "carried", SUCCEEDED, null, "{\"v\":\"c\"}", "g", true, "r0"));
    expectedSnapshot.add(
        describe.get("carried") + " -> unchanged|succeeded|null|true|r0|{\"v\":\"c\"}|g");
    describe.put("carried2", "unplanned unchanged row from an older run");
    previousRows.add(
        row(UNCHANGED, "carried2", SUCCEEDED, null, "{\"v\":\"c2\"}", "g", true, "r-1"));
    expectedSnapshot.add(
        describe.get("carried2") + " -> unchanged|succeeded|null|true|r-1|{\"v\":\"c2\"}|g");

    // Not planned, never reached the destination (failed add, then left the model): dropped.
    describe.put("dropped", "unplanned failed add");
    previousRows.add(row(ADDED, "dropped", FAILED, "bad", "{\"v\":\"d\"}", "g", false, "r0"));
    expectedSnapshot.add(describe.get("dropped") + " -> " + GONE);

    // Duplicated keys: both model rows failed; the snapshot keeps the last good state exactly.
    describe.put("held", "duplicated key with a succeeded snapshot row");
    previousRows.add(row(CHANGED, "held", SUCCEEDED, null, "{\"v\":\"h\"}", "g", true, "r0"));
    describe.put("held-failed", "duplicated key with a failed-add snapshot row");
    previousRows.add(row(ADDED, "held-failed", FAILED, "bad", "{\"v\":\"hf\"}", "g", false, "r0"));
    describe.put("dup-new", "duplicated key without a snapshot row");
    for (String[] dup :
        new String[][] {{"held", CHANGED}, {"held-failed", CHANGED}, {"dup-new", ADDED}}) {
      String reason = String.format(DUP_REASON, dup[0]);
      for (int copy = 1; copy <= 2; copy++) {
        String f = "{\"v\":\"" + dup[0] + "-" + copy + "\"}";
        planRowsList.add(row(dup[0], dup[1], f, "g", reason));
        expectedChangelog.add(
            describe.get(dup[0]) + " -> " + dup[1] + "|failed|" + reason + "|" + f);
      }
    }
    // The engine should not report rejected rows; when it does, the status is ignored.
    statusRows.add(row("held", SUCCEEDED, null));
    expectedSnapshot.add(
        describe.get("held") + " -> changed|succeeded|null|true|r0|{\"v\":\"h\"}|g");
    expectedSnapshot.add(
        describe.get("held-failed") + " -> added|failed|bad|false|r0|{\"v\":\"hf\"}|g");

    // Null keys: failed with the reason, never in the snapshot.
    for (int copy = 1; copy <= 2; copy++) {
      String f = "{\"v\":\"null-" + copy + "\"}";
      planRowsList.add(row(null, ADDED, f, "g", NULL_REASON));
      expectedChangelog.add("null key -> added|failed|" + NULL_REASON + "|" + f);
    }

    planRows = planRowsList.size();
    Dataset<Row> previous = snapshot(previousRows);
    StatusMerge.Merged merged =
        StatusMerge.merge(
            plan(planRowsList), statuses(statusRows.toArray(Row[]::new)), previous, RUN);
    changelog = merged.changelog().collectAsList();
    next = merged.snapshot().collectAsList();
    nextLines = SnapshotChanges.lines(merged.snapshot());
    changedLines = SnapshotChanges.applied(previous, merged.snapshotChanges());
    changes = Rows.lines(merged.snapshotChanges(), ROW_ID, SnapshotChange.SNAPSHOT_CHANGE);
  }

  static List<String> nextLines;
  static List<String> changedLines;
  static List<String> changes;

  @Test
  void snapshotChangesAppliedToThePreviousSnapshotGiveTheNextSnapshot() {
    System.out.println("expected (whole next snapshot):\n  " + String.join("\n  ", nextLines));
    System.out.println("actual (previous + changes):\n  " + String.join("\n  ", changedLines));
    assertThat(changedLines).isEqualTo(nextLines);
  }

  @Test
  void snapshotChangesTouchOnlyRowsThatChange() {
    // Carried rows already unchanged and rows held for a duplicated key are not touched; a
    // carried row planned last run is reset; a row the destination never received is deleted.
    System.out.println("changes: " + changes);
    assertThat(changes)
        .contains("carried|reset", "dropped|delete")
        .allSatisfy(c -> assertThat(c).matches(".*\\|(upsert|reset|delete)"))
        .noneSatisfy(c -> assertThat(c).startsWith("carried2|"))
        .noneSatisfy(c -> assertThat(c).startsWith("held|"))
        .noneSatisfy(c -> assertThat(c).startsWith("held-failed|"));
  }

  private static String desc(Row r) {
    String id = r.getAs(ROW_ID);
    return id == null ? "null key" : describe.get(id);
  }

  private static String s(Row r, String column) {
    Object v = r.getAs(column);
    return String.valueOf(v);
  }

  @Test
  void changelogForEveryPlannedOpAndReportedStatus() {
    List<String> actual =
        changelog.stream()
            .map(
                r ->
                    desc(r)
                        + " -> "
                        + s(r, OP_TYPE)
                        + "|"
                        + s(r, STATUS)
                        + "|"
                        + s(r, FAILED_REASON)
                        + "|"
                        + s(r, FIELDS))
            .sorted()
            .toList();
    assertThat(actual)
        .as("changelog as 'case -> op|status|failed_reason|fields'")
        .containsExactlyElementsOf(expectedChangelog.stream().sorted().toList());
  }

  @Test
  void nextSnapshotForEveryCase() {
    List<String> actual =
        next.stream()
            .map(
                r ->
                    desc(r)
                        + " -> "
                        + s(r, OP_TYPE)
                        + "|"
                        + s(r, STATUS)
                        + "|"
                        + s(r, FAILED_REASON)
                        + "|"
                        + s(r, IN_DESTINATION)
                        + "|"
                        + s(r, LAST_SYNC_RUN_ID)
                        + "|"
                        + s(r, FIELDS)
                        + "|"
                        + s(r, SPLIT_GROUP))
            .sorted()
            .toList();
    List<String> expected =
        expectedSnapshot.stream().filter(e -> !e.endsWith(GONE)).sorted().toList();
    assertThat(actual)
        .as("snapshot as 'case -> op|status|reason|in_destination|last_sync_run_id|fields|group'")
        .containsExactlyElementsOf(expected);
  }

  @Test
  void successfulRemovalsDroppedAddsAndRejectedNewKeysLeaveNoSnapshotRow() {
    List<String> gone =
        expectedSnapshot.stream()
            .filter(e -> e.endsWith(GONE))
            .map(e -> e.substring(0, e.indexOf(" -> ")))
            .collect(Collectors.toList());
    gone.add(describe.get("dup-new"));
    assertThat(gone).hasSize(4);
    assertThat(next.stream().map(StatusMergeCaseTableTest::desc).toList())
        .doesNotContainAnyElementsOf(gone)
        .doesNotContain("null key");
  }

  @Test
  void changelogHasExactlyOneRowPerPlanRow() {
    assertThat(changelog).hasSize((int) planRows);
  }

  @Test
  void snapshotHasOneRowPerRowIdWithFieldsHashOfItsFields() {
    List<String> ids = next.stream().map(r -> r.<String>getAs(ROW_ID)).toList();
    assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
    Map<String, Long> hashByFields = new LinkedHashMap<>();
    for (Row r : next) {
      hashByFields.put(r.getAs(FIELDS), r.getAs(FIELDS_HASH));
    }
    List<Row> recomputed =
        SparkExtension.spark()
            .createDataset(
                new ArrayList<>(hashByFields.keySet()), org.apache.spark.sql.Encoders.STRING())
            .select(col("value"), xxhash64(col("value")))
            .collectAsList();
    for (Row r : recomputed) {
      assertThat(hashByFields.get(r.getString(0)))
          .as("hash of " + r.getString(0))
          .isEqualTo(r.getLong(1));
    }
  }

  @Test
  void outputColumnsAreInOrder() {
    // The changelog's table columns come first, in order; internal columns may follow.
    assertThat(changelog.get(0).schema().fieldNames()).startsWith(StatusMerge.CHANGELOG_COLUMNS);
    assertThat(next.get(0).schema().fieldNames()).containsExactly(StatusMerge.SNAPSHOT_COLUMNS);
  }

  // ---- the worst-status rule ----------------------------------------------------------------

  @Test
  void resolveKeepsTheWorstStatusPerRow() {
    Dataset<Row> reported =
        statuses(
            row("s", SUCCEEDED, null),
            row("s", SUCCEEDED, null),
            row("sf", SUCCEEDED, null),
            row("sf", FAILED, "boom"),
            row("sa", SUCCEEDED, null),
            row("sa", ABORTED, null),
            row("af", ABORTED, null),
            row("af", FAILED, "boom"),
            row("saf", FAILED, "boom"),
            row("saf", ABORTED, null),
            row("saf", SUCCEEDED, null),
            row("case", "Aborted", null),
            row("case", " succeeded", null),
            row("one", FAILED, null));
    assertThat(Rows.lines(StatusMerge.resolve(reported)))
        .containsExactly(
            "af|failed|boom",
            "case|aborted|null",
            "one|failed|null",
            "saf|failed|boom",
            "sa|aborted|null",
            "sf|failed|boom",
            "s|succeeded|null");
  }

  @Test
  void resolveTurnsUnknownValuesIntoFailuresNamingTheValue() {
    Dataset<Row> reported =
        statuses(
            row("skip", "skipped", null),
            row("nul", null, null),
            row("empty", "", null),
            row("mixed", SUCCEEDED, null),
            row("mixed", "queued", null),
            row("vsAborted", ABORTED, null),
            row("vsAborted", "retrying", "x"));
    assertThat(Rows.lines(StatusMerge.resolve(reported)))
        .containsExactly(
            "empty|failed|unknown status '' reported by the sync engine",
            "mixed|failed|unknown status 'queued' reported by the sync engine",
            "nul|failed|unknown status 'null' reported by the sync engine",
            "skip|failed|unknown status 'skipped' reported by the sync engine",
            "vsAborted|failed|unknown status 'retrying' reported by the sync engine");
  }

  // ---- StatusCheck --------------------------------------------------------------------------

  static Dataset<Row> sendablePlan(String... rowIds) {
    List<Row> rows = new ArrayList<>();
    for (String id : rowIds) {
      rows.add(row(id, ADDED, "{}", null, null));
    }
    return Planner.sendable(plan(rows));
  }

  @Test
  void statusesMatchingThePlanHaveNoProblems() {
    StatusCheck.Problems p =
        StatusCheck.check(
            statuses(
                row("a", SUCCEEDED, null),
                row("b", "Succeeded ", null),
                row("c", " FAILED", "x"),
                row("d", "aborted", null)),
            sendablePlan("a", "b", "c", "d", "e"));
    assertThat(p.any()).as(p.describe().toString()).isFalse();
    assertThat(p.total()).isZero();
    assertThat(p.describe()).isEmpty();
  }

  @Test
  void statusesForUnplannedRowsAreReportedWithExamples() {
    List<Row> rows = new ArrayList<>();
    rows.add(row("a", SUCCEEDED, null));
    rows.add(row(null, SUCCEEDED, null));
    rows.add(row("zz", FAILED, "x"));
    // A rejected (duplicated) key is not sendable, so its status is unplanned too.
    rows.add(row("dup", SUCCEEDED, null));
    Dataset<Row> plan =
        plan(
            List.of(
                row("a", ADDED, "{}", null, null),
                row("dup", ADDED, "{\"n\":1}", null, String.format(DUP_REASON, "dup")),
                row("dup", ADDED, "{\"n\":2}", null, String.format(DUP_REASON, "dup"))));
    StatusCheck.Problems p = StatusCheck.check(Rows.frame(STATUSES, rows), Planner.sendable(plan));
    assertThat(p.unplanned()).isEqualTo(3);
    assertThat(p.unplannedExamples()).containsExactlyInAnyOrder("null", "'zz'", "'dup'");
    assertThat(p.duplicated()).isZero();
    assertThat(p.unknown()).isZero();
    assertThat(p.total()).isEqualTo(3);
    assertThat(p.describe())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("3 status(es) for rows that were not planned in this run");
  }

  @Test
  void duplicateStatusesAreReportedPerRow() {
    StatusCheck.Problems p =
        StatusCheck.check(
            statuses(
                row("a", SUCCEEDED, null),
                row("a", SUCCEEDED, null),
                row("b", SUCCEEDED, null),
                row("b", FAILED, "x"),
                row("b", ABORTED, null),
                row("c", SUCCEEDED, null)),
            sendablePlan("a", "b", "c"));
    assertThat(p.duplicated()).as("rows with more than one status").isEqualTo(2);
    assertThat(p.duplicatedExamples()).containsExactlyInAnyOrder("'a'", "'b'");
    assertThat(p.unplanned()).isZero();
    assertThat(p.unknown()).isZero();
    assertThat(p.describe())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("2 row(s) with more than one status");
  }

  @Test
  void unknownStatusValuesAreReportedButCaseAndSpacesAreNot() {
    StatusCheck.Problems p =
        StatusCheck.check(
            statuses(
                row("a", "skipped", null),
                row("b", null, null),
                row("c", "", null),
                row("d", "Succeeded ", null),
                row("e", "\tABORTED", null),
                row("f", "Failed", "x"),
                row("g", "succeeded\r", null)),
            sendablePlan("a", "b", "c", "d", "e", "f", "g"));
    assertThat(p.unknown()).isEqualTo(3);
    assertThat(p.unknownExamples()).containsExactlyInAnyOrder("'skipped'", "null", "''");
    assertThat(p.unplanned()).isZero();
    assertThat(p.duplicated()).isZero();
  }

  @Test
  void examplesAreCappedAndEveryKindOfProblemIsDescribed() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(row("x" + i, "done", null));
    }
    rows.add(row("a", SUCCEEDED, null));
    rows.add(row("a", SUCCEEDED, null));
    StatusCheck.Problems p = StatusCheck.check(Rows.frame(STATUSES, rows), sendablePlan("a"));
    assertThat(p.unplanned()).isEqualTo(10);
    assertThat(p.unknown()).isEqualTo(10);
    assertThat(p.duplicated()).isEqualTo(1);
    assertThat(p.total()).isEqualTo(21);
    assertThat(p.unplannedExamples()).hasSize(StatusCheck.EXAMPLES);
    assertThat(p.unknownExamples()).hasSize(StatusCheck.EXAMPLES).containsOnly("'done'");
    assertThat(p.describe())
        .hasSize(3)
        .anySatisfy(d -> assertThat(d).startsWith("10 status(es) for rows that were not planned"))
        .anySatisfy(d -> assertThat(d).startsWith("1 row(s) with more than one status"))
        .anySatisfy(d -> assertThat(d).startsWith("10 status value(s) other than succeeded"));
  }

  // ---- plan and merge over several runs -----------------------------------------------------

  /** One row through a failed add, its retry, a failed removal and its retry. */
  @Test
  void aRowIsRetriedUntilItsOperationSucceeds() {
    StructType modelSchema =
        new StructType()
            .add(ROW_ID, DataTypes.StringType)
            .add(FIELDS, DataTypes.StringType)
            .add(SPLIT_GROUP, DataTypes.StringType);
    Dataset<Row> model =
        Rows.frame(modelSchema, row("1", "{\"a\":1}", null))
            .withColumn(FIELDS_HASH, xxhash64(col(FIELDS)));
    Dataset<Row> empty =
        Rows.frame(modelSchema, List.of()).withColumn(FIELDS_HASH, xxhash64(col(FIELDS)));
    Dataset<Row> snap = snapshot(List.of());
    List<String> history = new ArrayList<>();
    Object[][] runs = {
      {"r1", model, FAILED},
      {"r2", model, SUCCEEDED},
      {"r3", empty, FAILED},
      {"r4", empty, SUCCEEDED},
    };
    String partitions = SparkExtension.spark().conf().get("spark.sql.shuffle.partitions");
    // One-row datasets: one shuffle partition keeps the four runs quick. Restored below.
    SparkExtension.spark().conf().set("spark.sql.shuffle.partitions", "1");
    try {
      runAll(runs, snap, history);
    } finally {
      SparkExtension.spark().conf().set("spark.sql.shuffle.partitions", partitions);
    }
    assertThat(history)
        .containsExactly(
            "r1 plan [added|failed] snapshot [added|failed|nope|false|r1]",
            "r2 plan [added|succeeded] snapshot [added|succeeded|null|true|r2]",
            "r3 plan [removed|failed] snapshot [removed|failed|nope|true|r3]",
            "r4 plan [removed|succeeded] snapshot []");
  }

  private static void runAll(Object[][] runs, Dataset<Row> snap, List<String> history) {
    for (Object[] run : runs) {
      @SuppressWarnings("unchecked")
      Dataset<Row> m = (Dataset<Row>) run[1];
      String reason = FAILED.equals(run[2]) ? "nope" : null;
      // Each run starts from collected rows, as the job starts from stored tables: the query
      // stays small instead of growing with every run.
      Dataset<Row> plan = local(Planner.plan(m, snap, "id"));
      StatusMerge.Merged merged =
          StatusMerge.merge(plan, statuses(row("1", run[2], reason)), snap, (String) run[0]);
      List<Row> changed = merged.changelog().collectAsList();
      assertThat(SnapshotChanges.applied(snap, merged.snapshotChanges()))
          .as("run %s: previous snapshot + changes = next snapshot", run[0])
          .isEqualTo(SnapshotChanges.lines(merged.snapshot()));
      // The same changes when the diff hands over the unplanned rows it found in its join.
      StatusMerge.Merged fromDiff =
          StatusMerge.merge(
              plan,
              statuses(row("1", run[2], reason)),
              snap,
              (String) run[0],
              Long.MAX_VALUE,
              Planner.unplanned(Planner.keyPlan(m, snap, "id")));
      assertThat(Rows.lines(fromDiff.snapshotChanges(), ROW_ID, SnapshotChange.SNAPSHOT_CHANGE))
          .as("run %s: changes with the diff's unplanned rows", run[0])
          .isEqualTo(Rows.lines(merged.snapshotChanges(), ROW_ID, SnapshotChange.SNAPSHOT_CHANGE));
      snap = local(merged.snapshot());
      history.add(
          run[0]
              + " plan "
              + changed.stream().map(r -> r.getAs(OP_TYPE) + "|" + r.getAs(STATUS)).toList()
              + " snapshot "
              + Rows.lines(snap, OP_TYPE, STATUS, FAILED_REASON, IN_DESTINATION, LAST_SYNC_RUN_ID));
    }
  }

  private static Dataset<Row> local(Dataset<Row> rows) {
    return Rows.frame(rows.schema(), rows.collectAsList());
  }
}
