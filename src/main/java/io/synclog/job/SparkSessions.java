package io.synclog.job;

import org.apache.spark.sql.SparkSession;

/**
 * Gets the Spark session: the cluster's when there is one (spark-submit, Databricks), else a local
 * one with Delta Lake. Only a session synclog created is stopped by synclog.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** A session and whether synclog created it. */
  public record Handle(SparkSession spark, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) {
        spark.stop();
      }
    }
  }

  public static Handle getOrCreate(String defaultMaster) {
    var active = SparkSession.getActiveSession();
    if (active.isEmpty()) {
      active = SparkSession.getDefaultSession();
    }
    if (active.isDefined()) {
      return new Handle(active.get(), false);
    }
    var builder =
        SparkSession.builder()
            .appName("synclog")
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    boolean local = System.getProperty("spark.master") == null;
    if (local) {
      builder =
          builder
              .master(defaultMaster)
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.ui.showConsoleProgress", "false");
    }
    return new Handle(builder.getOrCreate(), true);
  }
}
