package io.synclog.sink.delta;

import static io.synclog.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.error.SyncLogException;
import io.synclog.sink.DeltaTarget;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.References;
import io.synclog.sink.Scenario;
import io.synclog.sink.SinkHarness;
import io.synclog.sink.delta.log.TransactionLog;
import io.synclog.testing.SparkExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Delta snapshot written by changes (MERGE with deletion vectors) equals the snapshot written
 * whole and copies no untouched row, also when a run killed after its MERGE is rerun; it is written
 * whole on the first run, when many rows change and every {@code target.snapshot-rewrite-runs}
 * runs; a table without deletion vectors is always written whole.
 */
@ExtendWith(SparkExtension.class)
class DeltaSnapshotWriteTest {
  private static final String SNAPSHOT = "sync_snapshot";

  private static String table(String namespace) {
    return References.dir()
        .resolve(namespace)
        .resolve("warehouse/sync_audit/sync_snapshot")
        .toString();
  }

  /** The snapshot's commits after its creation: operation, and DVs added for a MERGE. */
  private static List<String> history(String namespace) {
    List<Row> rows =
        SparkExtension.spark()
            .sql("DESCRIBE HISTORY delta.`" + table(namespace) + "`")
            .orderBy("version")
            .collectAsList();
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      String op = r.getAs("operation");
      if (op.startsWith("CREATE")) {
        continue;
      }
      Map<String, String> metrics = r.getJavaMap(r.fieldIndex("operationMetrics"));
      out.add(
          op.equals("MERGE")
              ? "MERGE dv="
                  + metrics.get("numTargetDeletionVectorsAdded")
                  + " copied="
                  + metrics.get("numTargetRowsCopied")
              : op);
    }
    return out;
  }

  /** How many files the snapshot's last commit added. */
  private static long lastAppendedFiles(String namespace) {
    return Long.parseLong(DeltaHistory.last(table(namespace)).metrics().get("numTargetFilesAdded"));
  }

  /** The snapshot's files that hold both rows the last run planned and unchanged rows. */
  private static List<String> filesMixingPlannedAndUnchanged(String namespace) {
    List<String> out = new ArrayList<>();
    SparkExtension.spark()
        .read()
        .format("delta")
        .load(table(namespace))
        .groupBy(functions.input_file_name().as("file"))
        .agg(functions.countDistinct(functions.col("op_type").equalTo("unchanged")).as("kinds"))
        .where("kinds > 1")
        .collectAsList()
        .forEach(r -> out.add(r.getString(0)));
    return out;
  }

  private static List<Row> model(int rows, String changedPlan, int... changedIds) {
    List<Row> out = new ArrayList<>();
    for (long id = 1; id <= rows; id++) {
      String plan = "free";
      for (int c : changedIds) {
        plan = c == id ? changedPlan : plan;
      }
      out.add(row(id, "u" + id + "@x", plan));
    }
    return out;
  }

  @Test
  void writtenByChangesEqualsWrittenWholeAndRewritesNoUntouchedRow() {
    String byChanges = References.namespace("dv");
    String whole = References.namespace("whole");
    SinkHarness a =
        new SinkHarness(References.dir(), DeltaTarget.INSTANCE, byChanges, "s1")
            .set("target.deletion-vectors", "true")
            .set("target.snapshot-rewrite-runs", "20");
    SinkHarness b =
        new SinkHarness(References.dir(), DeltaTarget.INSTANCE, whole, "s1")
            .set("target.deletion-vectors", "false");
    List<Row> statuses1 = new ArrayList<>();
    for (int id = 1; id <= 100; id++) {
      statuses1.add(row(String.valueOf(id), "succeeded", null));
    }
    // r2: 1 and 2 changed (2 fails), 3 removed, 101 added and aborted (no status), 4 to 100 kept.
    List<Row> model2 = new ArrayList<>(model(100, "team", 1, 2));
    model2.remove(2);
    model2.add(row(101L, "u101@x", "free"));
    List<Row> statuses2 =
        List.of(
            row("1", "succeeded", null),
            row("2", "failed", "invalid email"),
            row("3", "succeeded", null));
    Scenario.Step r1 = new Scenario.Step("r1", model(100, "free"), statuses1, 1);
    Scenario.Step r2 = new Scenario.Step("r2", model2, statuses2, 2);
    // r3: 5 changed; every row r1 added and r2 did not plan became unchanged at r2, so r3 is the
    // first run that changes few rows.
    List<Row> model3 = new ArrayList<>(model2);
    model3.set(3, row(5L, "u5@x", "team"));
    Scenario.Step r3 = new Scenario.Step("r3", model3, List.of(row("5", "succeeded", null)), 3);
    // r4: 6 changed and fails, 7 removed, 102 added; 5 (planned by r3) is reset to unchanged,
    // read back from the file r3 appended, and the file r3 marked already gets more deletions.
    List<Row> model4 = new ArrayList<>(model3);
    model4.set(4, row(6L, "u6@x", "team"));
    model4.remove(5);
    model4.add(row(102L, "u102@x", "free"));
    Scenario.Step r4 =
        new Scenario.Step(
            "r4",
            model4,
            List.of(
                row("6", "failed", "locked"),
                row("7", "succeeded", null),
                row("102", "succeeded", null)),
            4);
    for (Scenario.Step step : List.of(r1, r2, r3, r4)) {
      if (step == r3) {
        // Killed after its MERGE, before its runs row: the rerun merges the same changes again.
        assertThatThrownBy(() -> a.run(r3, FaultHook.failAt(LogSink.AFTER_SNAPSHOT)))
            .isInstanceOf(SyncLogException.class);
        assertThat(a.rerun(r3, FaultHook.NONE).outcome()).contains("resumed");
      } else if (step == r4) {
        // r4 reads the rows it resets in parallel, shuffling the appended rows into one file,
        // as a run whose reset candidates are large does.
        SparkExtension.spark().conf().set(TransactionLog.PARALLEL_RESET_SCAN_BYTES, "0");
        try {
          a.run(step, FaultHook.NONE);
        } finally {
          SparkExtension.spark().conf().unset(TransactionLog.PARALLEL_RESET_SCAN_BYTES);
        }
        assertThat(lastAppendedFiles(byChanges)).as("files r4 appended").isEqualTo(1);
      } else {
        a.run(step, FaultHook.NONE);
      }
      b.run(step, FaultHook.NONE);
      List<String> expected = DeltaTarget.INSTANCE.rows(whole, SNAPSHOT);
      List<String> actual = DeltaTarget.INSTANCE.rows(byChanges, SNAPSHOT);
      System.out.println(step.runId() + " expected (whole): " + expected.size() + " rows");
      System.out.println(step.runId() + " actual (changes): " + actual.size() + " rows");
      assertThat(actual).as("snapshot after %s", step.runId()).isEqualTo(expected);
      // The whole write keeps the run's planned rows in files of their own, so the next run reads
      // only those files for the rows it resets.
      List<String> mixed = filesMixingPlannedAndUnchanged(whole);
      System.out.println(step.runId() + " files mixing planned and unchanged rows: " + mixed);
      assertThat(mixed).as("whole snapshot after %s", step.runId()).isEmpty();
    }
    List<String> changes = history(byChanges);
    System.out.println("history with deletion vectors: " + changes);
    System.out.println("history without: " + history(whole));
    // r1 whole (first run); r2 whole too, as it changes every row (r1's 100 adds become
    // unchanged); r3 by changes: its old copies go to deletion vectors, no untouched row is
    // copied, and the rerun of r3, killed after that commit, finds it and writes nothing.
    // r4 by changes too, on top of r3's deletion vectors.
    assertThat(changes).hasSize(4);
    assertThat(changes.subList(0, 2)).containsExactly("WRITE", "WRITE");
    for (String merge : changes.subList(2, 4)) {
      assertThat(merge).startsWith("MERGE").endsWith(" copied=0").doesNotContain("dv=0");
    }
    assertThat(history(whole)).containsExactly("WRITE", "WRITE", "WRITE", "WRITE");
  }

  private static SnapshotWrite.Decision decide(
      boolean hasChanges,
      Optional<String> unusable,
      List<String> missing,
      long recordedRuns,
      int rewriteRuns,
      SnapshotWrite.Sizes sizes) {
    return SnapshotWrite.decide(
        SnapshotWrite.Method.COMMIT,
        hasChanges,
        unusable,
        missing,
        recordedRuns,
        rewriteRuns,
        () -> sizes);
  }

  @Test
  void decidesWholeOrByChanges() {
    SnapshotWrite.Sizes few = new SnapshotWrite.Sizes(1000, 200, 299);
    SnapshotWrite.Sizes many = new SnapshotWrite.Sizes(1000, 201, 0);
    SnapshotWrite.Sizes deleted = new SnapshotWrite.Sizes(1000, 10, 300);
    Optional<String> usable = Optional.empty();
    SnapshotWrite.Decision byChanges = decide(true, usable, List.of(), 5, 20, few);
    assertThat(byChanges.method()).isEqualTo(SnapshotWrite.Method.COMMIT);
    assertThat(byChanges.reason()).isEqualTo("up to 200 of its 1000 rows change");
    assertThat(byChanges.broadcastChanges()).isTrue();
    assertThat(decide(true, usable, List.of(), 5, 0, few).incremental()).isTrue();
    assertThat(
            SnapshotWrite.decide(
                    SnapshotWrite.Method.MERGE, true, usable, List.of(), 5, 20, () -> few)
                .method())
        .isEqualTo(SnapshotWrite.Method.MERGE);
    assertThat(decide(true, usable, List.of(), 5, 20, many).reason())
        .isEqualTo("up to 201 of its 1000 rows change, more than 20%");
    assertThat(decide(true, usable, List.of(), 5, 20, deleted).reason())
        .isEqualTo("compacting: 300 rows marked deleted, 30% or more of its 1000");
    assertThat(decide(true, usable, List.of(), 40, 20, few).reason()).contains("every 20");
    assertThat(decide(true, usable, List.of(), 0, 20, few).reason()).contains("first run");
    assertThat(decide(true, Optional.of("no deletion vectors"), List.of(), 5, 20, few).reason())
        .isEqualTo("no deletion vectors");
    assertThat(decide(true, usable, List.of("split_group"), 5, 20, few).reason())
        .contains("split_group");
    assertThat(decide(false, usable, List.of(), 5, 20, few).incremental()).isFalse();
    // The sizes may cost a pass over the snapshot: not asked when another rule already decides.
    assertThat(
            SnapshotWrite.decide(
                    SnapshotWrite.Method.COMMIT,
                    true,
                    usable,
                    List.of(),
                    40,
                    20,
                    () -> {
                      throw new AssertionError("sizes asked on a compacting run");
                    })
                .incremental())
        .isFalse();
    StructType table = new StructType().add("sync_id", DataTypes.StringType);
    StructType changes =
        table.add("split_group", DataTypes.StringType).add("snapshot_change", DataTypes.StringType);
    assertThat(SnapshotWrite.missingColumns(changes, table)).containsExactly("split_group");
  }
}
