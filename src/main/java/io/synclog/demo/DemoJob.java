package io.synclog.demo;

import io.synclog.config.SyncConfig;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/** Placeholder until the demo lands. */
public final class DemoJob {
  public DemoJob(SparkSession spark, SyncConfig config, PrintStream out) {}

  public void run() {
    throw new UnsupportedOperationException("demo");
  }
}
