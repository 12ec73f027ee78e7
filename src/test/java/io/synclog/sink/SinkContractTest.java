package io.synclog.sink;

import static io.synclog.log.LogTables.CHANGELOG;
import static io.synclog.log.LogTables.RUNS;
import static io.synclog.log.LogTables.SNAPSHOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.error.SyncLogException;
import io.synclog.job.RunSummary;
import io.synclog.testing.SparkExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every sink must do, driven through the record and plan jobs: record each run once, make
 * reruns no-ops, replace a sync's snapshot, keep syncs independent and runs of one sync exclusive,
 * survive a crash at every write boundary, reject bad names, prune and unlock. Subclasses name the
 * target; a warehouse sink passes by extending this class.
 */
@ExtendWith(SparkExtension.class)
public abstract class SinkContractTest {
  /** The sink under test. */
  protected abstract SinkTarget target();

  /** Boundaries this sink adds to {@link #BOUNDARIES}, in commit order. */
  protected List<String> extraBoundaries() {
    return List.of();
  }

  static final List<String> BOUNDARIES =
      List.of(
          LogSink.AFTER_LOCK, LogSink.AFTER_CHANGELOG, LogSink.AFTER_SNAPSHOT, LogSink.AFTER_RUNS);

  private SinkHarness harness(String namespace, String syncId) {
    return new SinkHarness(References.dir(), target(), namespace, syncId);
  }

  private List<String> rows(String namespace, String table) {
    return target().rows(namespace, table);
  }

  private void assertSameTables(String expectedNs, String actualNs) {
    for (String table : List.of(CHANGELOG, SNAPSHOT, RUNS)) {
      assertThat(rows(actualNs, table))
          .as(table)
          .containsExactlyElementsOf(rows(expectedNs, table));
    }
  }

  private static Scenario.Step step(int i) {
    return Scenario.STEPS.get(i);
  }

  @Test
  public void recordsEachRunOnceReplacesTheSnapshotAndRerunsChangeNothing() {
    String ns = References.scenario(target());
    SinkHarness h = harness(ns, "s1");
    List<String> changelog = rows(ns, CHANGELOG);
    List<String> snapshot = rows(ns, SNAPSHOT);
    List<String> runs = rows(ns, RUNS);

    assertThat(h.rerun(step(3), FaultHook.NONE).outcome()).isEqualTo(RunSummary.ALREADY_RECORDED);
    assertThat(h.rerun(step(1), FaultHook.NONE).outcome()).isEqualTo(RunSummary.ALREADY_RECORDED);

    assertThat(rows(ns, CHANGELOG)).containsExactlyElementsOf(changelog);
    assertThat(rows(ns, SNAPSHOT)).containsExactlyElementsOf(snapshot);
    assertThat(rows(ns, RUNS)).containsExactlyElementsOf(runs);
    assertThat(changelog).hasSize(3 + 4 + 3 + 3);
    assertThat(runs).hasSize(4);
    // the snapshot holds only the latest state: removed rows 2 and 3 are gone
    assertThat(snapshot)
        .extracting(
            l -> {
              String[] p = l.split("\\|");
              return p[2] + "|" + p[1] + "|" + p[3] + "|" + p[4];
            })
        .containsExactlyInAnyOrderElementsOf(Scenario.FINAL_SNAPSHOT);
    assertThat(h.sink().heldLock("s1")).isEmpty();
  }

  @Test
  public void survivesACrashAtEveryBoundaryAndTheRerunMatchesAnUninterruptedHistory() {
    String golden = References.scenario(target());
    String ns = References.namespace("crash");
    SinkHarness h = harness(ns, "s1");
    List<String> boundaries = new ArrayList<>(BOUNDARIES);
    boundaries.addAll(extraBoundaries());
    for (int i = 0; i < Scenario.STEPS.size(); i++) {
      Scenario.Step step = step(i);
      h.model(step.runId(), step.model());
      h.statuses(step.runId(), step.statuses());
      for (int b = i; b < boundaries.size(); b += Scenario.STEPS.size()) {
        String boundary = boundaries.get(b);
        assertThatThrownBy(() -> h.rerun(step, FaultHook.failAt(boundary)))
            .as("crash at " + boundary)
            .isInstanceOf(SyncLogException.class)
            .hasMessageContaining(boundary);
      }
      String outcome = h.rerun(step, FaultHook.NONE).outcome();
      assertThat(outcome)
          .as("rerun of " + step.runId())
          .isIn(
              RunSummary.ALREADY_RECORDED,
              RunSummary.RECORDED + " (resumed an interrupted attempt)");
    }
    assertSameTables(golden, ns);
    assertThat(h.sink().heldLock("s1")).isEmpty();
    assertThat(target().leftovers(ns)).isEmpty();
  }

  @Test
  public void twoSyncsRecordConcurrentlyKeepTheirOwnSnapshotsAndPrune() throws Exception {
    String ns = References.namespace("two_syncs");
    SinkHarness a = harness(ns, "sa");
    SinkHarness b = harness(ns, "sb");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<RunSummary> fa = pool.submit(() -> a.run(step(0), FaultHook.NONE));
      Future<RunSummary> fb = pool.submit(() -> b.run(step(0), FaultHook.NONE));
      assertThat(fa.get(5, TimeUnit.MINUTES).outcome()).isEqualTo(RunSummary.RECORDED);
      assertThat(fb.get(5, TimeUnit.MINUTES).outcome()).isEqualTo(RunSummary.RECORDED);
    } finally {
      pool.shutdownNow();
    }
    List<String> snapshotB = rows(ns, SNAPSHOT).stream().filter(l -> l.startsWith("sb|")).toList();
    assertThat(snapshotB).hasSize(3);

    a.run(step(1), FaultHook.NONE);
    assertThat(rows(ns, SNAPSHOT).stream().filter(l -> l.startsWith("sb|")).toList())
        .containsExactlyElementsOf(snapshotB);
    assertThat(rows(ns, SNAPSHOT).stream().filter(l -> l.startsWith("sa|")))
        .extracting(l -> l.split("\\|")[2])
        .containsExactlyInAnyOrder("1", "2", "4");
    assertThat(rows(ns, CHANGELOG)).hasSize(3 + 3 + 4);
    b.run(step(1), FaultHook.NONE);

    // runs started 2026-03-01 (r1) and 2026-03-02 (r2) in each sync. Before the first run, the
    // cutoff leaves every run: r1 is not the latest run of its sync but is newer than the cutoff.
    List<String> changelog = rows(ns, CHANGELOG);
    List<String> runs = rows(ns, RUNS);
    List<String> snapshot = rows(ns, SNAPSHOT);
    assertThat(a.sink().prune(Instant.parse("2026-02-28T00:00:00Z"), PruneScope.ALL_SYNCS))
        .as("nothing older than a cutoff before every run")
        .isEqualTo(new PruneResult(0, 0));
    assertThat(rows(ns, CHANGELOG)).containsExactlyElementsOf(changelog);
    assertThat(rows(ns, RUNS)).containsExactlyElementsOf(runs);

    // every run is older than this cutoff, and each sync's latest (r2) is kept whole: its runs row
    // and its changelog rows
    Instant cutoff = Instant.parse("2026-03-03T00:00:00Z");
    PruneResult prunedA = a.sink().prune(cutoff, PruneScope.sync("sa"));
    assertThat(prunedA).as("sa's r1: changelog rows, runs rows").isEqualTo(new PruneResult(3, 1));
    assertThat(runsOfRows(rows(ns, CHANGELOG)))
        .as("changelog rows per run after pruning sa")
        .containsExactly("sa|r2 x4", "sb|r1 x3", "sb|r2 x4");
    assertThat(runsOfRows(rows(ns, RUNS)))
        .as("runs after pruning sa")
        .containsExactly("sa|r2 x1", "sb|r1 x1", "sb|r2 x1");

    PruneResult prunedAll = a.sink().prune(cutoff, PruneScope.ALL_SYNCS);
    assertThat(prunedAll).as("sb's r1: changelog rows, runs rows").isEqualTo(new PruneResult(3, 1));
    assertThat(runsOfRows(rows(ns, CHANGELOG)))
        .as("changelog rows per run after pruning every sync")
        .containsExactly("sa|r2 x4", "sb|r2 x4");
    assertThat(runsOfRows(rows(ns, RUNS)))
        .as("runs after pruning every sync")
        .containsExactly("sa|r2 x1", "sb|r2 x1");
    assertThat(rows(ns, SNAPSHOT)).as("the snapshot is never pruned").isEqualTo(snapshot);
  }

  /** Canonical rows counted per run: "sync|run xN", sorted. */
  private static List<String> runsOfRows(List<String> rows) {
    Map<String, Integer> perRun = new java.util.TreeMap<>();
    for (String row : rows) {
      String[] p = row.split("\\|", 3);
      perRun.merge(p[0] + "|" + p[1], 1, Integer::sum);
    }
    List<String> out = new ArrayList<>();
    perRun.forEach((run, n) -> out.add(run + " x" + n));
    return out;
  }

  @Test
  public void fourRunsOfOneSyncRaceAndOnlyTheHolderRecords() {
    String ns = References.namespace("one_sync");
    SinkHarness h = harness(ns, "s1");
    Scenario.Step first = step(0);
    List<Scenario.Step> others = new ArrayList<>();
    for (String runId : List.of("r1b", "r1c", "r1d")) {
      Scenario.Step other = new Scenario.Step(runId, first.model(), first.statuses(), 1);
      h.model(other.runId(), other.model());
      h.statuses(other.runId(), other.statuses());
      others.add(other);
    }
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch othersDone = new CountDownLatch(others.size());
    java.util.concurrent.CyclicBarrier together =
        new java.util.concurrent.CyclicBarrier(others.size());
    for (Scenario.Step other : others) {
      new Thread(
              () -> {
                try {
                  held.await(5, TimeUnit.MINUTES);
                  together.await(5, TimeUnit.MINUTES);
                  h.rerun(other, FaultHook.NONE);
                } catch (Throwable t) {
                  failures.add(t);
                } finally {
                  othersDone.countDown();
                }
              })
          .start();
    }
    // the first run holds the sync while the three others, started together, try to claim it
    RunSummary won =
        h.run(
            first,
            boundary -> {
              if (boundary.equals(LogSink.AFTER_LOCK)) {
                held.countDown();
                await(othersDone);
              }
            });
    assertThat(won.outcome()).isEqualTo(RunSummary.RECORDED);
    assertThat(failures).as("the three runs that raced the holder").hasSize(3);
    assertThat(failures)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOf(SyncLogException.class)
                    .satisfies(
                        x ->
                            assertThat(((SyncLogException) x).code())
                                .isIn("RUN_IN_PROGRESS", "RUN_CONCURRENT"))
                    .hasMessageContaining("run 'r1'"));
    assertThat(failures)
        .extracting(Throwable::getMessage)
        .anyMatch(m -> m.contains("r1b"))
        .anyMatch(m -> m.contains("r1c"))
        .anyMatch(m -> m.contains("r1d"));
    assertThat(rows(ns, RUNS)).hasSize(1).allMatch(l -> l.startsWith("s1|r1|"));
    assertThat(rows(ns, CHANGELOG)).hasSize(3).allMatch(l -> l.startsWith("s1|r1|"));
    assertThat(h.sink().heldLock("s1")).isEmpty();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  public void aStoredPlanSurvivesACrashAndIsWhatTheRunRecords() {
    String golden = References.scenario(target());
    String ns = References.namespace("plan");
    SinkHarness h = harness(ns, "s1");
    Scenario.Step step = step(0);
    h.model(step.runId(), step.model());
    h.statuses(step.runId(), step.statuses());
    assertThatThrownBy(() -> h.plan(step, FaultHook.failAt(LogSink.AFTER_PLAN)))
        .isInstanceOf(SyncLogException.class);
    assertThat(h.plan(step, FaultHook.NONE).outcome()).isEqualTo(RunSummary.ALREADY_PLANNED);
    assertThat(h.sink().heldLock("s1")).get().matches(l -> l.planned() && l.runId().equals("r1"));

    assertThat(h.rerun(step, FaultHook.NONE).outcome()).startsWith(RunSummary.RECORDED);
    assertThat(rows(ns, CHANGELOG))
        .containsExactlyElementsOf(
            rows(golden, CHANGELOG).stream().filter(l -> l.startsWith("s1|r1|")).toList());
    assertThat(rows(ns, RUNS))
        .containsExactlyElementsOf(
            rows(golden, RUNS).stream().filter(l -> l.startsWith("s1|r1|")).toList());
    assertThat(h.sink().heldLock("s1")).isEmpty();
  }

  @Test
  public void anAbandonedRunBlocksTheSyncUntilUnlocked() {
    String ns = References.namespace("unlock");
    SinkHarness h = harness(ns, "s1");
    Scenario.Step step = step(0);
    assertThatThrownBy(() -> h.run(step, FaultHook.failAt(LogSink.AFTER_LOCK)))
        .isInstanceOf(SyncLogException.class);
    Scenario.Step next = new Scenario.Step("r2", step.model(), step.statuses(), 2);
    h.model(next.runId(), next.model());
    h.statuses(next.runId(), next.statuses());
    assertThatThrownBy(() -> h.rerun(next, FaultHook.NONE))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("unlock --sync.id=s1 --run.id=r1")
        .extracting(e -> ((SyncLogException) e).code())
        .isEqualTo("RUN_IN_PROGRESS");

    LogSink sink = h.sink();
    RunLock lock = sink.heldLock("s1").orElseThrow();
    assertThat(lock.runId()).isEqualTo("r1");
    sink.release(lock);
    assertThat(sink.heldLock("s1")).isEmpty();
    assertThat(rows(ns, RUNS)).isEmpty();
  }

  @Test
  public void rejectsNamesThatAreNotPlainIdentifiers() {
    for (String bad : List.of("sync-audit", "a;drop table x", "x\"y", "1abc", "a b")) {
      Map<String, String> settings = new LinkedHashMap<>(target().settings("ok"));
      settings.put("target.schema", bad);
      settings.put("target.kind", target().kind());
      assertThatThrownBy(
              () ->
                  SyncConfig.resolve(
                      new ConfigSources(Map.of(), target().secrets(), Map.of(), settings),
                      SyncConfig.Need.TARGET))
          .as(bad)
          .isInstanceOf(SyncLogException.class)
          .hasMessageContaining("target.schema");
    }
  }
}
