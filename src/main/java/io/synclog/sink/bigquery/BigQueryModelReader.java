package io.synclog.sink.bigquery;

import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.source.ConnectorModelReader;
import io.synclog.source.InputSpec;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the model through the spark-bigquery-connector ({@code model.connector=bigquery}) with the
 * target's project and credentials: {@code model.table} as {@code dataset.table} or {@code
 * project.dataset.table}, or {@code model.query} in GoogleSQL, which BigQuery runs and the
 * connector reads from a temporary table in target.schema.
 */
public final class BigQueryModelReader implements ConnectorModelReader {
  @Override
  public Dataset<Row> read(SparkSession spark, SyncConfig config, InputSpec spec) {
    return BqConnector.load(spark, options(BigQuerySettings.forReads(config), spec));
  }

  /** The connector's read options for the model. */
  static Map<String, String> options(BigQuerySettings s, InputSpec spec) {
    Map<String, String> o = BqConnector.common(s);
    if (spec.table() != null) {
      o.put("table", table(s, spec.table()));
    } else if (spec.query() != null) {
      o.put("query", spec.query());
      o.put("viewsEnabled", "true");
      o.put("materializationProject", s.project());
      o.put("materializationDataset", s.dataset());
    } else {
      throw Errors.invalidConfig(
          List.of("model.connector=bigquery reads model.table or model.query, not model.path"));
    }
    return o;
  }

  /** {@code dataset.table} is taken from target.project; {@code project.dataset.table} as is. */
  static String table(BigQuerySettings s, String name) {
    String[] parts = name.split("\\.", -1);
    for (String p : parts) {
      if (p.isEmpty() || p.contains("`")) {
        throw Errors.badIdentifier(
            "model.table", name, "use dataset.table or project.dataset.table, without backticks");
      }
    }
    return switch (parts.length) {
      case 2 -> s.project() + "." + name;
      case 3 -> name;
      default ->
          throw Errors.badIdentifier(
              "model.table", name, "use dataset.table or project.dataset.table");
    };
  }
}
