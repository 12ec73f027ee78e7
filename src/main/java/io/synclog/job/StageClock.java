package io.synclog.job;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times the job's stages and labels their Spark jobs, so the Spark UI shows "synclog: diff" rather
 * than a call site, and the run summary shows where the time went.
 */
public final class StageClock {
  private static final Logger LOG = LoggerFactory.getLogger("io.synclog");

  /** One finished stage. */
  public record Stage(String name, double seconds) {}

  private final SparkSession spark;
  private final String label;
  private final List<Stage> stages = new ArrayList<>();

  public StageClock(SparkSession spark, String label) {
    this.spark = spark;
    this.label = label;
  }

  public <T> T time(String stage, Supplier<T> work) {
    long start = System.nanoTime();
    LOG.info("{}: {} ...", label, stage);
    spark
        .sparkContext()
        .setJobGroup("synclog-" + stage, "synclog: " + stage + " (" + label + ")", false);
    try {
      return work.get();
    } finally {
      spark.sparkContext().clearJobGroup();
      double seconds = (System.nanoTime() - start) / 1e9;
      stages.add(new Stage(stage, seconds));
      LOG.info("{}: {} done in {}", label, stage, String.format("%.1f s", seconds));
    }
  }

  public void time(String stage, Runnable work) {
    time(
        stage,
        () -> {
          work.run();
          return null;
        });
  }

  public List<Stage> stages() {
    return List.copyOf(stages);
  }
}
