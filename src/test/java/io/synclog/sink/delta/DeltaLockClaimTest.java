package io.synclog.sink.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.error.SyncLogException;
import io.synclog.log.LogTables;
import io.synclog.log.SyncRun;
import io.synclog.sink.DeltaTarget;
import io.synclog.sink.LogSink;
import io.synclog.sink.References;
import io.synclog.sink.RunLock;
import io.synclog.sink.SinkHarness;
import io.synclog.testing.SparkExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The claim on a sync in a lock table by path, one Delta transaction ({@link
 * io.synclog.sink.delta.log.TransactionLog#claim}): one holder per sync however the claims race, no
 * interference between syncs, the holder's rerun resumes, and a released sync can be claimed again.
 */
@ExtendWith(SparkExtension.class)
class DeltaLockClaimTest {
  private static final Instant STARTED = Instant.parse("2026-03-01T10:00:00.123456789Z");

  private static LogSink sink(String namespace) {
    return new SinkHarness(References.dir(), DeltaTarget.INSTANCE, namespace, "s1").sink();
  }

  /** What a claim gave: the lock's run and phase, or the error code. */
  private static String claim(LogSink sink, String syncId, String runId) {
    try {
      RunLock lock = sink.acquire(new SyncRun(syncId, runId), STARTED);
      return syncId + " " + lock.runId() + (lock.resumed() ? " resumed" : " claimed");
    } catch (SyncLogException e) {
      return syncId + " " + runId + " " + e.code();
    }
  }

  @Test
  void oneHolderPerSyncAndTheHoldersRerunResumes() {
    LogSink sink = sink(References.namespace("locks"));
    sink.prepare();
    assertThat(claim(sink, "a", "r1")).isEqualTo("a r1 claimed");
    RunLock held = sink.heldLock("a").orElseThrow();
    assertThat(held.startedAt())
        .as("start time kept to the microsecond")
        .isEqualTo(Instant.parse("2026-03-01T10:00:00.123456Z"));
    assertThat(claim(sink, "a", "r2")).isEqualTo("a r2 RUN_IN_PROGRESS");
    assertThat(claim(sink, "a", "r1")).isEqualTo("a r1 resumed");
    assertThat(claim(sink, "b", "r9")).as("another sync").isEqualTo("b r9 claimed");
    sink.release(held);
    assertThat(sink.heldLock("a")).isEmpty();
    assertThat(claim(sink, "a", "r2")).isEqualTo("a r2 claimed");
    assertThat(sink.heldLock("b").orElseThrow().runId()).isEqualTo("r9");
  }

  @Test
  void racingClaimsOfOneSyncLeaveOneHolder() throws Exception {
    LogSink sink = sink(References.namespace("race"));
    sink.prepare();
    int runs = 4;
    CyclicBarrier start = new CyclicBarrier(runs);
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        String runId = "r" + i;
        Callable<String> claim =
            () -> {
              start.await();
              return claim(sink, "a", runId);
            };
        results.add(pool.submit(claim));
      }
      List<String> outcomes = new ArrayList<>();
      for (Future<String> f : results) {
        outcomes.add(f.get());
      }
      System.out.println("racing claims: " + outcomes);
      List<String> winners = outcomes.stream().filter(o -> o.endsWith(" claimed")).toList();
      assertThat(winners).as("claims that won, of " + outcomes).hasSize(1);
      assertThat(outcomes)
          .as("the others are refused")
          .filteredOn(o -> !o.endsWith(" claimed"))
          .allSatisfy(o -> assertThat(o).matches("a r\\d (RUN_CONCURRENT|RUN_IN_PROGRESS)"));
      String winner = winners.get(0).split(" ")[1];
      assertThat(sink.heldLock("a").orElseThrow().runId()).isEqualTo(winner);
    } finally {
      pool.shutdownNow();
    }
  }

  private static String locksTable(String namespace) {
    return References.dir()
        .resolve(namespace)
        .resolve("warehouse/sync_audit/" + DeltaLocks.TABLE)
        .toString();
  }

  /** The lock table's latest commit: its operation and whether it counted deleted rows. */
  private static String lastCommit(String namespace) {
    DeltaHistory.Commit last = DeltaHistory.last(locksTable(namespace));
    return last.operation() + (last.metrics().containsKey("scanTimeMs") ? " scanned" : " by file");
  }

  /**
   * A released lock this sink claimed is removed by the file its claim added, without a DELETE's
   * scan; when that file no longer holds the row (the lock marked planned rewrote it, or someone
   * unlocked the sync by hand and another run claimed it), the release is a DELETE of the run's row
   * and leaves any other run's lock alone.
   */
  @Test
  void aReleaseRemovesTheClaimsFileOnlyWhileItHoldsTheRow() {
    String ns = References.namespace("release");
    LogSink sink = sink(ns);
    sink.prepare();
    RunLock a = sink.acquire(new SyncRun("a", "r1"), STARTED);
    RunLock b = sink.acquire(new SyncRun("b", "r9"), STARTED);
    sink.release(a);
    assertThat(lastCommit(ns)).isEqualTo("DELETE by file");
    assertThat(sink.heldLock("a")).isEmpty();
    assertThat(sink.heldLock("b").orElseThrow().runId()).isEqualTo("r9");

    // the row rewritten since the claim: a DELETE
    RunLock planned =
        sink.storePlan(
            sink.acquire(new SyncRun("a", "r2"), STARTED),
            SparkExtension.spark().createDataFrame(List.<Row>of(), LogTables.planSchema()),
            "id BIGINT");
    sink.release(planned);
    assertThat(lastCommit(ns)).isEqualTo("DELETE scanned");
    assertThat(sink.heldLock("a")).isEmpty();

    // unlocked by hand and claimed by another run: the first run's release leaves that lock
    RunLock first = sink.acquire(new SyncRun("a", "r3"), STARTED);
    SparkExtension.spark().sql("DELETE FROM delta.`" + locksTable(ns) + "` WHERE sync_id = 'a'");
    assertThat(claim(sink, "a", "r4")).isEqualTo("a r4 claimed");
    sink.release(first);
    assertThat(sink.heldLock("a").orElseThrow().runId()).isEqualTo("r4");
    assertThat(sink.heldLock("b").orElseThrow().runId()).isEqualTo("r9");
    sink.release(b);
    assertThat(lastCommit(ns)).isEqualTo("DELETE by file");
    assertThat(sink.heldLock("b")).isEmpty();
  }
}
