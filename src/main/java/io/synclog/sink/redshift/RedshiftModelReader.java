package io.synclog.sink.redshift;

import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.source.ConnectorModelReader;
import io.synclog.source.InputSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads {@code model.table} or {@code model.query} through the spark-redshift connector ({@code
 * model.connector=redshift}), with the target.* connection settings: the connector UNLOADs the rows
 * to target.temp-dir and Spark reads them from there in parallel.
 *
 * <p>{@code model.table} may be {@code table} or {@code schema.table}; each part is quoted. {@code
 * model.query} is sent to Redshift as written.
 */
public final class RedshiftModelReader implements ConnectorModelReader {
  @Override
  public Dataset<Row> read(SparkSession spark, SyncConfig config, InputSpec spec) {
    RsTarget target = RsTarget.from(config);
    DataFrameReader reader =
        spark.read().format(RsTarget.CONNECTOR).options(target.connectorOptions(null));
    if (spec.table() != null) {
      return reader.option("dbtable", quoteTable(spec.table())).load();
    }
    if (spec.query() != null) {
      return reader.option("query", spec.query()).load();
    }
    throw Errors.badUsage(
        "model.connector=redshift reads model.table or model.query, not files at model.path");
  }

  /** {@code "schema"."table"} of a dotted name; each part must be a plain identifier. */
  static String quoteTable(String name) {
    List<String> parts = new ArrayList<>();
    for (String part : name.split("\\.", -1)) {
      parts.add(RsNames.quote(RsNames.identifier("model.table", part)));
    }
    return String.join(".", parts);
  }
}
