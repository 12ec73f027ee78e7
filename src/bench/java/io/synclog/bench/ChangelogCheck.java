package io.synclog.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;

import io.synclog.job.SparkSessions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Summarises the changelog each variant wrote, so the driver can check they agree: the row count,
 * the count per (op_type, status), and a SHA-256 of the sorted {@code row_id|op_type|status} lines.
 * Prints one {@code CHECK} line per variant.
 *
 * <p>Usage: {@code ChangelogCheck <dir> <synclog-warehouse> <run-id> [synclog|all]}: with {@code
 * synclog}, only synclog's changelog.
 */
public final class ChangelogCheck {
  private ChangelogCheck() {}

  public static void main(String[] args) throws NoSuchAlgorithmException {
    Path dir = Path.of(args[0]).toAbsolutePath();
    String warehouse = args[1];
    String runId = args[2];
    try (SparkSessions.Handle handle = SparkSessions.getOrCreate("local[*]")) {
      SparkSession spark = handle.spark();
      Dataset<Row> synclog =
          spark
              .read()
              .format("delta")
              .load(warehouse + "/sync_audit/sync_changelog")
              .where(col("sync_run_id").equalTo(runId));
      print("synclog", synclog);
      if (args.length > 3 && args[3].equals("synclog")) {
        return;
      }
      print("naive_spark", spark.read().parquet(dir.resolve("out/naive/changelog").toString()));
      print("duckdb", spark.read().parquet(dir.resolve("out/duckdb/changelog.parquet").toString()));
    }
  }

  static void print(String variant, Dataset<Row> changelog) throws NoSuchAlgorithmException {
    Map<String, Long> cells = new TreeMap<>();
    for (Row r : changelog.groupBy("op_type", "status").count().collectAsList()) {
      cells.put(r.getString(0) + "/" + r.getString(1), r.getLong(2));
    }
    long rows = cells.values().stream().mapToLong(Long::longValue).sum();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    Iterator<Row> sorted =
        changelog
            .select(concat_ws("|", col("row_id"), col("op_type"), col("status")).as("line"))
            .orderBy("line")
            .toLocalIterator();
    while (sorted.hasNext()) {
      sha.update((sorted.next().getString(0) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    StringBuilder line = new StringBuilder("CHECK ").append(variant).append(" rows=").append(rows);
    cells.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    line.append(" sha256=").append(HexFormat.of().formatHex(sha.digest()));
    System.out.println(line);
  }
}
