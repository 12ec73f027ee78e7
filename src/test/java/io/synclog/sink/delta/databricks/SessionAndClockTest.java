package io.synclog.sink.delta.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.job.SparkSessions;
import io.synclog.job.StageClock;
import io.synclog.testing.SparkExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a Databricks JAR task needs from the job's edges: it takes the cluster's session and never
 * stops it, and stage timing survives compute that refuses the SparkContext.
 */
@ExtendWith(SparkExtension.class)
class SessionAndClockTest {

  @Test
  void takesTheRunningSessionAndLeavesItRunning() throws Exception {
    SparkSession cluster = SparkExtension.spark();
    try (SparkSessions.Handle handle = SparkSessions.getOrCreate("local[1]")) {
      assertThat(handle.spark()).isSameAs(cluster);
      assertThat(handle.owned()).isFalse();
    }
    assertThat(cluster.sparkContext().isStopped()).as("stopped after close").isFalse();
    assertThat(cluster.range(3).count()).isEqualTo(3);

    // A JAR task's main thread may have no active session: the default one is still found.
    AtomicReference<SparkSessions.Handle> seen = new AtomicReference<>();
    Thread task =
        new Thread(
            () -> {
              SparkSession.clearActiveSession();
              seen.set(SparkSessions.getOrCreate("local[1]"));
            });
    task.start();
    task.join();
    assertThat(seen.get().spark()).isSameAs(cluster);
    assertThat(seen.get().owned()).isFalse();
  }

  @Test
  void stagesAreTimedWhenJobLabelsAreRefused() {
    List<String> calls = new ArrayList<>();
    StageClock.Labels refusing =
        new StageClock.Labels() {
          @Override
          public void set(String group, String description) {
            calls.add("set " + group);
            throw new UnsupportedOperationException("sparkContext is not supported here");
          }

          @Override
          public void clear() {
            calls.add("clear");
          }
        };
    StageClock clock = new StageClock(refusing, "sync 's' run 'r'");
    assertThat(clock.time("diff", () -> 42)).isEqualTo(42);
    clock.time("write tables", () -> {});
    assertThat(clock.stages())
        .extracting(StageClock.Stage::name)
        .containsExactly("diff", "write tables");
    // the first refusal turns labels off; no further calls reach the context
    assertThat(calls).containsExactly("set synclog-diff");
  }

  @Test
  void stagesAreLabelledWhereTheContextIsAvailable() {
    SparkSession spark = SparkExtension.spark();
    StageClock clock = new StageClock(spark, "sync 's' run 'r'");
    String during =
        clock.time("count", () -> spark.sparkContext().getLocalProperty("spark.job.description"));
    assertThat(during).isEqualTo("synclog: count (sync 's' run 'r')");
    assertThat(spark.sparkContext().getLocalProperty("spark.job.description")).isNull();
  }
}
