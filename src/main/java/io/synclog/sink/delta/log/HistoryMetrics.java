package io.synclog.sink.delta.log;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.execution.metric.SQLMetrics;
import scala.collection.JavaConverters;

/** The metrics a commit made here shows in {@code DESCRIBE HISTORY}, named as Delta names them. */
final class HistoryMetrics {
  private HistoryMetrics() {}

  /** Gives the transaction's commit these metrics. */
  static void register(SparkSession spark, OptimisticTransaction txn, Map<String, Long> values) {
    Map<String, SQLMetric> metrics = new LinkedHashMap<>();
    values.forEach(
        (name, value) -> {
          SQLMetric m = SQLMetrics.createMetric(spark.sparkContext(), name);
          m.set(value);
          metrics.put(name, m);
        });
    txn.registerSQLMetrics(
        spark,
        scala.collection.immutable.Map$.MODULE$
            .<String, SQLMetric>empty()
            .$plus$plus(JavaConverters.mapAsScalaMap(metrics)));
  }
}
