package io.synclog.testing;

import io.synclog.job.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One local SparkSession with Delta Lake for the whole test JVM, started on first use and stopped
 * when the JVM exits. Test classes opt in with {@code @ExtendWith(SparkExtension.class)} and get
 * the session from {@link #spark()}.
 */
public final class SparkExtension implements BeforeAllCallback {
  private static SparkSession spark;

  public static synchronized SparkSession spark() {
    if (spark == null) {
      spark =
          SparkSessions.withDefaults(SparkSession.builder())
              .master("local[2]")
              .appName("synclog-tests")
              .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
              .config(
                  "spark.sql.catalog.spark_catalog",
                  "org.apache.spark.sql.delta.catalog.DeltaCatalog")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.default.parallelism", "4")
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.databricks.delta.snapshotPartitions", "2")
              .config("spark.ui.showConsoleProgress", "false")
              // tables by name live in this JVM's own folder, so test JVMs never share one
              .config("spark.sql.warehouse.dir", warehouseDir())
              .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> spark.stop()));
    }
    return spark;
  }

  private static String warehouseDir() {
    try {
      return Files.createTempDirectory("synclog-spark-warehouse").toUri().toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    spark();
  }
}
