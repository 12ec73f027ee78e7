package io.synclog.sql;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.LogicalRDD;

/**
 * Intermediate results a run reads more than once, kept on the executors (memory, then disk) and
 * cut from the tables they were computed from.
 *
 * <p>Why not {@link Dataset#persist}: Spark's cache remembers the query, and every write to a table
 * that query reads (the run's own writes to the snapshot, changelog and runs tables) makes Spark
 * plan each cached query again against the table's new version and drop what it had kept. A pinned
 * result is the rows as the run computed them, whatever the run writes next, and costs no planning
 * when a table changes. The price: rows lost with an executor cannot be recomputed, so the run
 * fails, and its rerun (same run id) finishes it.
 */
public final class Pinned {
  private Pinned() {}

  /** {@code rows}, computed on first use and kept from then on. */
  public static Dataset<Row> pin(Dataset<Row> rows) {
    return rows.localCheckpoint(false);
  }

  /** Frees what {@link #pin} kept; a dataset that was not pinned is left alone. */
  public static void release(Dataset<Row> pinned) {
    if (pinned != null && pinned.queryExecution().logical() instanceof LogicalRDD kept) {
      kept.rdd().unpersist(false);
    }
  }
}
