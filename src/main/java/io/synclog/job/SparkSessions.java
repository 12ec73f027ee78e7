package io.synclog.job;

import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;

/**
 * Gets the Spark session: the cluster's when there is one (spark-submit, Databricks), else a local
 * one with Delta Lake. Only a session synclog created is stopped by synclog.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * How many compiled query classes Spark keeps. A run compiles about 240 (a warm 200-row run on
   * Delta by path); Spark's default of 100 evicts them all before the same run comes round again,
   * so every later run in one JVM compiled them afresh and ran them cold (about 30% of a warm run).
   */
  static final String CODEGEN_CACHE_ENTRIES = "spark.sql.codegen.cache.maxEntries";

  static final String CODEGEN_CACHE_DEFAULT = "1000";

  /**
   * The settings synclog gives a session it creates, less those the user set ({@code --conf} or
   * {@code -D}, which Spark reads from the system properties).
   */
  static Map<String, String> defaultsUnset(Properties system) {
    return system.getProperty(CODEGEN_CACHE_ENTRIES) == null
        ? Map.of(CODEGEN_CACHE_ENTRIES, CODEGEN_CACHE_DEFAULT)
        : Map.of();
  }

  /** The builder with synclog's {@link #defaultsUnset} settings. */
  public static SparkSession.Builder withDefaults(SparkSession.Builder builder) {
    for (Map.Entry<String, String> e : defaultsUnset(System.getProperties()).entrySet()) {
      builder = builder.config(e.getKey(), e.getValue());
    }
    return builder;
  }

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
    builder = withDefaults(builder);
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
