package io.synclog.sink.snowflake;

import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.source.ConnectorModelReader;
import io.synclog.source.InputSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads {@code model.table} ({@code dbtable}) or {@code model.query} ({@code query}) through
 * spark-snowflake, with the target.* account and credentials. With {@code autopushdown} the
 * connector turns the job's projections, filters and aggregations into Snowflake SQL, so only the
 * model's rows travel; they are unloaded in parallel. Column names arrive as Snowflake stores them
 * (unquoted names in UPPERCASE); Spark resolves them case-insensitively.
 */
public final class SnowflakeModelReader implements ConnectorModelReader {
  @Override
  public Dataset<Row> read(SparkSession spark, SyncConfig config, InputSpec spec) {
    SnowflakeSettings settings = SnowflakeSettings.from(config);
    SnowflakeTransfer.redactKeyOption(spark);
    return spark.read().format(SnowflakeTransfer.SOURCE).options(options(settings, spec)).load();
  }

  static Map<String, String> options(SnowflakeSettings settings, InputSpec spec) {
    if (spec.table() == null && spec.query() == null) {
      throw Errors.invalidConfig(
          List.of("model.connector=snowflake reads model.table or model.query, not model.path"));
    }
    Map<String, String> o = new LinkedHashMap<>(settings.connectorOptions());
    if (spec.table() != null) {
      o.put("dbtable", spec.table());
    } else {
      o.put("query", spec.query());
    }
    o.put("autopushdown", "on");
    return o;
  }
}
