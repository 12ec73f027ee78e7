package io.synclog.sink.delta;

import io.synclog.testing.SparkExtension;
import java.util.Map;
import org.apache.spark.sql.Row;

/** The latest commit of a Delta table by path, as {@code DESCRIBE HISTORY} shows it. */
final class DeltaHistory {
  private DeltaHistory() {}

  /** The operation and metrics of the table's latest commit, printed for the test's log. */
  static Commit last(String path) {
    Row last = SparkExtension.spark().sql("DESCRIBE HISTORY delta.`" + path + "` LIMIT 1").first();
    Commit commit =
        new Commit(last.getAs("operation"), last.getJavaMap(last.fieldIndex("operationMetrics")));
    System.out.println("last commit of " + path + ": " + commit);
    return commit;
  }

  record Commit(String operation, Map<String, String> metrics) {}
}
