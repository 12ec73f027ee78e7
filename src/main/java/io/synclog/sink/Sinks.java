package io.synclog.sink;

import io.synclog.config.ConfigKeys;
import io.synclog.config.SyncConfig;
import io.synclog.sink.bigquery.BigQueryLogSink;
import io.synclog.sink.bigquery.BigQuerySettings;
import io.synclog.sink.delta.DeltaLogSink;
import io.synclog.sink.delta.DeltaSettings;
import io.synclog.sink.postgres.PgTarget;
import io.synclog.sink.postgres.PostgresLogSink;
import io.synclog.sink.redshift.RedshiftLogSink;
import io.synclog.sink.redshift.RsTarget;
import io.synclog.sink.snowflake.SnowflakeLogSink;
import io.synclog.sink.snowflake.SnowflakeSettings;
import io.synclog.source.ConnectorModelReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Chooses the sink named by {@code target.kind}. */
public final class Sinks {
  private Sinks() {}

  /**
   * Opens the sink named by {@code target.kind}: its {@code target.*} keys are parsed here, once,
   * into the target's typed settings, which are all the sink is given of the configuration.
   */
  public static LogSink open(SparkSession spark, SyncConfig config) {
    Map<String, String> physical = physicalNames(config);
    boolean changelog = config.tableEnabled("changelog");
    return switch (config.targetKind()) {
      case "delta", "databricks" ->
          DeltaLogSink.open(spark, DeltaSettings.from(config), physical, changelog);
      case "postgres" ->
          new PostgresLogSink(spark, PgTarget.from(config), config.schema(), physical, changelog);
      case "bigquery" ->
          BigQueryLogSink.open(spark, BigQuerySettings.of(config), physical, changelog);
      case "redshift" ->
          new RedshiftLogSink(spark, RsTarget.from(config), config.schema(), physical, changelog);
      case "snowflake" ->
          SnowflakeLogSink.open(
              spark, SnowflakeSettings.from(config), config.schema(), physical, changelog);
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
