package io.synclog.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import io.synclog.job.SparkSessions;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The floor: what any Spark job over these inputs pays at least. Reads both model extracts once and
 * hashes every row in one job, writing nothing.
 *
 * <p>Usage: {@code FloorScan <dir>}.
 */
public final class FloorScan {
  private FloorScan() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    try (SparkSessions.Handle handle = SparkSessions.getOrCreate("local[*]")) {
      Row totals = scan(handle.spark(), dir);
      System.out.printf(
          "floor: %d rows hashed (checksum %d)%n", totals.getLong(0), totals.getLong(1));
    }
  }

  static Row scan(SparkSession spark, Path dir) {
    Dataset<Row> previous =
        hashed(spark.read().parquet(dir.resolve(BenchData.PREVIOUS_MODEL).toString()));
    Dataset<Row> model = hashed(spark.read().parquet(dir.resolve(BenchData.MODEL).toString()));
    return previous.unionByName(model).agg(count(lit(1)), sum(col("h"))).head();
  }

  private static Dataset<Row> hashed(Dataset<Row> rows) {
    Column[] all = Arrays.stream(rows.columns()).map(c -> col(c)).toArray(Column[]::new);
    return rows.select(xxhash64(all).as("h"));
  }
}
