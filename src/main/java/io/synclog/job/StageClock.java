package io.synclog.job;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times the job's stages and labels their Spark jobs, so the Spark UI shows "synclog: diff" rather
 * than a call site, and the run summary shows where the time went. Labels are a convenience: on
 * compute that refuses access to the SparkContext (Databricks shared access mode, Spark Connect)
 * the stages are timed without them.
 */
public final class StageClock {
  private static final Logger LOG = LoggerFactory.getLogger("io.synclog");

  /** One finished stage. */
  public record Stage(String name, double seconds) {}

  /** Where a stage's label goes. */
  public interface Labels {
    void set(String group, String description);

    void clear();
  }

  private final String label;
  private final List<Stage> stages = new ArrayList<>();
  private Labels labels;
  private Progress progress = Progress.NONE;

  public StageClock(SparkSession spark, String label) {
    this(jobGroups(spark), label);
  }

  public StageClock(Labels labels, String label) {
    this.labels = labels;
    this.label = label;
  }

  /** Also reports each stage to {@code progress}. */
  public StageClock reportingTo(Progress progress) {
    this.progress = progress;
    return this;
  }

  /** Spark job groups: the SparkContext is looked up on each use, never kept. */
  private static Labels jobGroups(SparkSession spark) {
    return new Labels() {
      @Override
      public void set(String group, String description) {
        spark.sparkContext().setJobGroup(group, description, false);
      }

      @Override
      public void clear() {
        spark.sparkContext().clearJobGroup();
      }
    };
  }

  public <T> T time(String stage, Supplier<T> work) {
    long start = System.nanoTime();
    LOG.info("{}: {} ...", label, stage);
    progress.started(label, stage);
    label(() -> labels.set("synclog-" + stage, "synclog: " + stage + " (" + label + ")"));
    try {
      return work.get();
    } finally {
      label(() -> labels.clear());
      double seconds = (System.nanoTime() - start) / 1e9;
      stages.add(new Stage(stage, seconds));
      LOG.info("{}: {} done in {}", label, stage, String.format("%.1f s", seconds));
      progress.finished(label, stage, seconds);
    }
  }

  /** Applies a label; the first refusal turns labelling off for this clock. */
  private void label(Runnable step) {
    if (labels == null) {
      return;
    }
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.info("{}: Spark job labels are off here ({})", label, e.getClass().getSimpleName());
      labels = null;
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
