package io.synclog.bench;

import static org.apache.spark.sql.functions.col;

import io.synclog.job.SparkSessions;
import java.security.NoSuchAlgorithmException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Summarises each sync's changelog of one run in the two warehouses of {@code jobs/bench --batch},
 * one {@code CHECK batch/<sync>} and one {@code CHECK separate/<sync>} line each, as {@link
 * ChangelogCheck} does for one sync.
 *
 * <p>Usage: {@code BatchCheck <batch-warehouse> <separate-warehouse> <run-id> <sync-id>...}
 */
public final class BatchCheck {
  private BatchCheck() {}

  public static void main(String[] args) throws NoSuchAlgorithmException {
    String runId = args[2];
    try (SparkSessions.Handle handle = SparkSessions.getOrCreate("local[*]")) {
      SparkSession spark = handle.spark();
      for (String[] side : new String[][] {{"batch", args[0]}, {"separate", args[1]}}) {
        Dataset<Row> changelog =
            spark
                .read()
                .format("delta")
                .load(side[1] + "/sync_audit/sync_changelog")
                .where(col("sync_run_id").equalTo(runId))
                .cache();
        for (int i = 3; i < args.length; i++) {
          ChangelogCheck.print(
              side[0] + "/" + args[i], changelog.where(col("sync_id").equalTo(args[i])));
        }
        changelog.unpersist();
      }
    }
  }
}
