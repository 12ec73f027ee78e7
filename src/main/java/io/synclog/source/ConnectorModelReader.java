package io.synclog.source;

import io.synclog.config.SyncConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads {@code model.table} or {@code model.query} through a warehouse's Spark connector ({@code
 * model.connector}), with the target's connection settings.
 */
@FunctionalInterface
public interface ConnectorModelReader {
  Dataset<Row> read(SparkSession spark, SyncConfig config, InputSpec spec);
}
