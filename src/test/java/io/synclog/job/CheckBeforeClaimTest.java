package io.synclog.job;

import static io.synclog.testing.Rows.row;
import static io.synclog.testing.SyncHarness.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.synclog.config.SyncConfig;
import io.synclog.error.SyncLogException;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import io.synclog.testing.SyncHarness;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of a sync nobody holds is checked before it claims the sync: refused, it writes nothing,
 * not even to the lock table; accepted, its claim confirms that no other run of the sync committed
 * since the checks, or it is checked again under its claim.
 */
@ExtendWith(SparkExtension.class)
class CheckBeforeClaimTest {
  @TempDir Path dir;

  @Test
  void aRunRecordedBetweenTheChecksAndTheClaimIsSeenByTheRunThatClaimsAfterIt() {
    SyncHarness h = new SyncHarness(dir, "race");
    h.run(
        "r1",
        list(row(1L, "a@x.io", "free"), row(2L, "b@x.io", "pro")),
        list(row("1", "succeeded", null), row("2", "succeeded", null)));
    // r2 changes row 1; it is recorded while r3 is between its checks and its claim
    h.model("r2", list(row(1L, "a@x.io", "pro"), row(2L, "b@x.io", "pro")));
    h.statuses("r2", list(row("1", "succeeded", null)));
    // r3 adds row 3 to r2's model: against r1's snapshot it would also change row 1
    h.model("r3", list(row(1L, "a@x.io", "pro"), row(2L, "b@x.io", "pro"), row(3L, "c@x.io", "x")));
    h.statuses("r3", list(row("3", "succeeded", null)));

    SyncConfig config = h.config("r3", Map.of());
    AtomicBoolean raced = new AtomicBoolean();
    Map<String, Integer> calls = new ConcurrentHashMap<>();
    LogSink sink = recordingBeforeTheClaim(h.sink(config), () -> h.record("r2"), raced, calls);
    RunSummary summary = new RecordJob(SparkExtension.spark(), config, sink, FaultHook.NONE).run();

    assertThat(raced).as("r2 was recorded between r3's checks and its claim").isTrue();
    assertThat(calls.get("previousSnapshot"))
        .as("snapshot reads by r3: its checks, then again under its claim as the mark moved")
        .isEqualTo(2);
    assertThat(summary.outcome()).isEqualTo(RunSummary.RECORDED);
    assertThat(
            Rows.lines(
                h.table("sync_changelog").where("sync_run_id = 'r3'"),
                "row_id",
                "op_type",
                "status"))
        .as("r3's changelog, diffed against the snapshot r2 left")
        .containsExactly("3|added|succeeded");
    assertThat(
            Rows.lines(
                h.table("sync_snapshot").orderBy("row_id"),
                "row_id",
                "get_json_object(fields, '$.plan')",
                "last_sync_run_id"))
        .containsExactly("1|pro|r2", "2|pro|r1", "3|x|r3");
    assertThat(h.sink(config).heldLock("race")).isEmpty();
  }

  @Test
  void withoutARunInBetweenTheChecksBeforeTheClaimAreNotRepeated() {
    SyncHarness h = new SyncHarness(dir, "calm");
    h.run("r1", list(row(1L, "a@x.io", "free")), list(row("1", "succeeded", null)));
    h.model("r2", list(row(1L, "a@x.io", "pro"), row(2L, "b@x.io", "x")));
    h.statuses("r2", list(row("1", "failed", "rate limited"), row("2", "succeeded", null)));

    SyncConfig config = h.config("r2", Map.of());
    Map<String, Integer> calls = new ConcurrentHashMap<>();
    LogSink sink = recordingBeforeTheClaim(h.sink(config), () -> {}, new AtomicBoolean(), calls);
    RunSummary summary = new RecordJob(SparkExtension.spark(), config, sink, FaultHook.NONE).run();

    assertThat(summary.outcome()).isEqualTo(RunSummary.RECORDED);
    assertThat(calls.get("previousSnapshot")).as("snapshot reads by r2").isEqualTo(1);
    assertThat(calls.get("commitMark")).as("commit marks taken by r2").isEqualTo(2);
    assertThat(
            Rows.lines(
                h.table("sync_changelog").where("sync_run_id = 'r2'").orderBy("row_id"),
                "row_id",
                "op_type",
                "status",
                "failed_reason"))
        .containsExactly("1|changed|failed|rate limited", "2|added|succeeded|null");
  }

  @Test
  void aRefusedPlanWritesNothingAndLeavesTheSyncFree() {
    SyncHarness h = new SyncHarness(dir, "plan-refused");
    h.model("r2", list(row(1L, "a@x.io", "pro"), row(1L, "a2@x.io", "pro")));
    SyncConfig config = h.config("r2", Map.of("model.on-key-problem", "fail"));
    // the tables exist, as after any earlier run: only what the plan would write can move them
    h.sink(config).prepare();
    long locks = h.version("_synclog_locks");
    long plans = h.version("sync_plans");

    SyncLogException e =
        catchThrowableOfType(
            () -> new PlanJob(SparkExtension.spark(), config, h.sink(config), FaultHook.NONE).run(),
            SyncLogException.class);

    assertThat(e.code()).isEqualTo("MODEL_KEY_PROBLEMS");
    assertThat(h.version("_synclog_locks"))
        .as("version of _synclog_locks after a refused plan (before: %d)", locks)
        .isEqualTo(locks);
    assertThat(h.version("sync_plans")).isEqualTo(plans);
    assertThat(h.sink(config).heldLock("plan-refused")).isEmpty();
  }

  /**
   * The sink, except that its first claim first runs {@code between}: another run of the sync,
   * recorded after this run's checks and before its claim. Counts the calls by name in {@code
   * calls}.
   */
  private static LogSink recordingBeforeTheClaim(
      LogSink real, Runnable between, AtomicBoolean ran, Map<String, Integer> calls) {
    return (LogSink)
        Proxy.newProxyInstance(
            LogSink.class.getClassLoader(),
            new Class<?>[] {LogSink.class},
            (proxy, method, args) -> {
              calls.merge(method.getName(), 1, Integer::sum);
              if (method.getName().equals("acquire") && ran.compareAndSet(false, true)) {
                between.run();
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
