package io.synclog.sink;

import io.synclog.config.ConfigKeys;
import io.synclog.config.SyncConfig;
import io.synclog.sink.delta.DeltaLogSink;
import io.synclog.source.ConnectorModelReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Chooses the sink named by {@code target.kind}. */
public final class Sinks {
  private Sinks() {}

  public static LogSink open(SparkSession spark, SyncConfig config) {
    return switch (config.targetKind()) {
      case "delta", "databricks" -> DeltaLogSink.open(spark, config, physicalNames(config));
      case "postgres" ->
          io.synclog.sink.postgres.PostgresLogSink.open(spark, config, physicalNames(config));
      case "bigquery" ->
          io.synclog.sink.bigquery.BigQueryLogSink.open(spark, config, physicalNames(config));
      case "redshift" ->
          io.synclog.sink.redshift.RedshiftLogSink.open(spark, config, physicalNames(config));
      case "snowflake" ->
          io.synclog.sink.snowflake.SnowflakeLogSink.open(spark, config, physicalNames(config));
      default -> throw new IllegalStateException("unvalidated target.kind " + config.targetKind());
    };
  }

  /** The reader named by {@code model.connector}, or null to read through Spark. */
  public static ConnectorModelReader modelReader(SyncConfig config) {
    String connector = config.get(ConfigKeys.MODEL_CONNECTOR);
    return switch (connector) {
      case "spark" -> null;
      case "snowflake" -> new io.synclog.sink.snowflake.SnowflakeModelReader();
      case "bigquery" -> new io.synclog.sink.bigquery.BigQueryModelReader();
      case "redshift" -> new io.synclog.sink.redshift.RedshiftModelReader();
      default -> throw new IllegalStateException("unvalidated model.connector " + connector);
    };
  }

  /**
   * Physical table names. A disabled snapshot or runs table is still kept, under an internal name,
   * because the diff and the exactly-once check need it.
   */
  public static Map<String, String> physicalNames(SyncConfig config) {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("changelog", "sync_changelog");
    names.put("snapshot", config.tableEnabled("snapshot") ? "sync_snapshot" : "_synclog_snapshot");
    names.put("runs", config.tableEnabled("runs") ? "sync_runs" : "_synclog_runs");
    return names;
  }
}
