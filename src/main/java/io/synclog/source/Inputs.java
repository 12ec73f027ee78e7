package io.synclog.source;

import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Reads an {@link InputSpec} with Spark. Reading only resolves the schema; no job runs yet. */
final class Inputs {
  private Inputs() {}

  static Dataset<Row> read(SparkSession spark, InputSpec spec, StructType schemaForText) {
    if (spec.table() != null) {
      return spark.table(spec.table());
    }
    if (spec.query() != null) {
      return spark.sql(spec.query());
    }
    DataFrameReader reader = spark.read().format(spec.format());
    if ("csv".equals(spec.format())) {
      reader = reader.option("header", "true");
    }
    if (schemaForText != null && ("csv".equals(spec.format()) || "json".equals(spec.format()))) {
      reader = reader.schema(schemaForText).option("mode", "FAILFAST");
    }
    return reader.load(spec.path());
  }
}
