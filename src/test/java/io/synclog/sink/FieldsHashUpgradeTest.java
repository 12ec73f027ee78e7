package io.synclog.sink;

import static io.synclog.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.plan.FieldsHash;
import io.synclog.testing.Folders;
import io.synclog.testing.SparkExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A snapshot written before {@link FieldsHash}, whose {@code fields_hash} is {@code
 * xxhash64(fields)}: the next run plans only the rows that really changed, and leaves the snapshot
 * with the new hashes, so the run after it compares typed hashes only and plans nothing new. Both
 * when the run diffs and when it records a plan stored by {@code plan}.
 */
@ExtendWith(SparkExtension.class)
class FieldsHashUpgradeTest {

  private static List<Row> model(String changedPlan, int... changedIds) {
    List<Row> out = new ArrayList<>();
    for (long id = 1; id <= 20; id++) {
      String plan = "free";
      for (int c : changedIds) {
        plan = c == id ? changedPlan : plan;
      }
      out.add(row(id, "u" + id + "@x", plan));
    }
    return out;
  }

  private static List<Row> succeeded(int... ids) {
    List<Row> out = new ArrayList<>();
    for (int id : ids) {
      out.add(row(String.valueOf(id), "succeeded", null));
    }
    return out;
  }

  private static String snapshot(String namespace) {
    return References.dir()
        .resolve(namespace)
        .resolve("warehouse/sync_audit/sync_snapshot")
        .toString();
  }

  /** Rewrites every snapshot row's hash as an earlier build wrote it. */
  private static void downgrade(String namespace) {
    SparkExtension.spark()
        .sql(
            "UPDATE delta.`"
                + snapshot(namespace)
                + "` SET fields_hash = xxhash64(fields) WHERE fields IS NOT NULL");
  }

  /** How many of the snapshot's rows hold a hash of their fields text. */
  private static long jsonHashes(String namespace) {
    return SparkExtension.spark()
        .read()
        .format("delta")
        .load(snapshot(namespace))
        .select("fields", "fields_hash")
        .collectAsList()
        .stream()
        .filter(r -> FieldsHash.isJsonHash(r.getString(0), r.getLong(1)))
        .count();
  }

  private static List<String> planned(String namespace, String runId) {
    String path =
        References.dir()
            .resolve(namespace)
            .resolve("warehouse/sync_audit/sync_changelog")
            .toString();
    return SparkExtension.spark()
        .read()
        .format("delta")
        .load(path)
        .where("sync_run_id = '" + runId + "'")
        .select("row_id", "op_type")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0) + " " + r.getString(1))
        .sorted()
        .collect(Collectors.toList());
  }

  private static String downgraded;

  /**
   * A namespace holding r1 with its snapshot downgraded to the former hashes: recorded once, and a
   * copy of its tables for each test.
   */
  private static synchronized String downgradedCopy(String hint) throws IOException {
    if (downgraded == null) {
      String ns = References.namespace("upgrade-base");
      SinkHarness h = new SinkHarness(References.dir(), DeltaTarget.INSTANCE, ns, "s1");
      int[] all = new int[20];
      for (int i = 0; i < 20; i++) {
        all[i] = i + 1;
      }
      h.run(new Scenario.Step("r1", model("free"), succeeded(all), 1), FaultHook.NONE);
      downgrade(ns);
      downgraded = ns;
    }
    String ns = References.namespace(hint);
    Folders.copy(References.dir().resolve(downgraded), References.dir().resolve(ns));
    return ns;
  }

  private void upgrade(boolean viaStoredPlan) throws IOException {
    String ns = downgradedCopy(viaStoredPlan ? "upgrade-plan" : "upgrade");
    SinkHarness h = new SinkHarness(References.dir(), DeltaTarget.INSTANCE, ns, "s1");
    assertThat(jsonHashes(ns)).as("rows with the former hash after the downgrade").isEqualTo(20);

    Scenario.Step r2 = new Scenario.Step("r2", model("team", 3), succeeded(3), 2);
    if (viaStoredPlan) {
      h.model(r2.runId(), r2.model());
      h.statuses(r2.runId(), r2.statuses());
      h.plan(r2, FaultHook.NONE);
      h.rerun(r2, FaultHook.NONE);
    } else {
      h.run(r2, FaultHook.NONE);
    }
    assertThat(planned(ns, "r2")).as("r2 plans the one changed row").containsExactly("3 changed");
    assertThat(jsonHashes(ns)).as("rows still holding the former hash after r2").isZero();

    h.run(new Scenario.Step("r3", model("team", 3), List.of(), 3), FaultHook.NONE);
    assertThat(planned(ns, "r3")).as("r3 plans nothing").isEmpty();
  }

  @Test
  void aDiffedRunUpgradesTheHashesWithoutReplanningUnchangedRows() throws IOException {
    upgrade(false);
  }

  @Test
  void aRecordedPlanUpgradesTheHashesToo() throws IOException {
    upgrade(true);
  }
}
