package io.synclog.job;

import static io.synclog.plan.Columns.FAILED;
import static io.synclog.plan.Columns.FAILED_REASON;
import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.STATUS;
import static org.apache.spark.sql.functions.col;

import io.synclog.log.RunCounts;
import io.synclog.status.StatusMerge;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What a run's summary and runs row count: a merged run's changelog, tallied. */
final class RunTally {
  private RunTally() {}

  /** Counts per (op_type, status) in one aggregation; also the rows synclog rejected. */
  static RunCounts count(Dataset<Row> changelog, long[] rejectedRows) {
    List<Row> rows =
        changelog
            .groupBy(col(OP_TYPE), col(STATUS), col(StatusMerge.REJECTED))
            .count()
            .collectAsList();
    rejectedRows[0] = rows.stream().filter(r -> r.getBoolean(2)).mapToLong(r -> r.getLong(3)).sum();
    return RunCounts.of(
        rows.stream()
            .map(r -> new RunCounts.Cell(r.getString(0), r.getString(1), r.getLong(3)))
            .toList());
  }

  static List<Map.Entry<String, Long>> topReasons(Dataset<Row> changelog) {
    return changelog
        .where(col(STATUS).equalTo(FAILED))
        .groupBy(col(FAILED_REASON))
        .count()
        .orderBy(col("count").desc(), col(FAILED_REASON))
        .limit(5)
        .collectAsList()
        .stream()
        .map(r -> Map.entry(r.isNullAt(0) ? "(no reason reported)" : r.getString(0), r.getLong(1)))
        .toList();
  }
}
