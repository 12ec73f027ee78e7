package io.synclog.status;

import static io.synclog.plan.Columns.ABORTED;
import static io.synclog.plan.Columns.FAILED;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.STATUS;
import static io.synclog.plan.Columns.SUCCEEDED;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Checks the engine's statuses against the run's plan: a status for a row that was not planned, a
 * second status for one row, or a status value that is not succeeded, failed or aborted.
 */
public final class StatusCheck {
  private StatusCheck() {}

  static final int EXAMPLES = 3;

  /** What was wrong with the statuses; all zero when they match the plan. */
  public record Problems(
      long unplanned,
      List<String> unplannedExamples,
      long duplicated,
      List<String> duplicatedExamples,
      long unknown,
      List<String> unknownExamples) {

    public boolean any() {
      return unplanned + duplicated + unknown > 0;
    }

    public long total() {
      return unplanned + duplicated + unknown;
    }

    public List<String> describe() {
      List<String> out = new ArrayList<>();
      if (unplanned > 0) {
        out.add(
            unplanned
                + " status(es) for rows that were not planned in this run, for example row_id "
                + unplannedExamples);
      }
      if (duplicated > 0) {
        out.add(
            duplicated
                + " row(s) with more than one status, for example row_id "
                + duplicatedExamples);
      }
      if (unknown > 0) {
        out.add(
            unknown
                + " status value(s) other than succeeded, failed or aborted, for example "
                + unknownExamples);
      }
      return out;
    }
  }

  /**
   * Normalised status value: lower case, trimmed of surrounding whitespace (tabs and line breaks
   * too, not only spaces, which is all Spark's one-argument {@code trim} removes: a CSV written
   * with CRLF line endings ends its last column with a carriage return).
   */
  public static org.apache.spark.sql.Column normalisedStatus() {
    return org.apache.spark.sql.functions.lower(
        org.apache.spark.sql.functions.trim(col(STATUS), " \t\r\n\f"));
  }

  /**
   * Counts the three kinds of problem in one pass over the statuses (one Spark job); only when
   * there is a problem are a few examples of it fetched.
   */
  public static Problems check(Dataset<Row> statuses, Dataset<Row> sendablePlan) {
    Dataset<Row> perRow =
        statuses
            .join(
                sendablePlan.select(col(ROW_ID).as("plan_key"), lit(true).as("planned")),
                col(ROW_ID).eqNullSafe(col("plan_key")),
                "left")
            .groupBy(col(ROW_ID))
            .agg(
                count(lit(1)).as("n"),
                max(col("planned")).as("planned"),
                sum(when(unknownStatus(), 1).otherwise(0)).as("unknown"));
    Row totals =
        perRow
            .agg(
                sum(when(col("planned").isNull(), col("n")).otherwise(0)),
                sum(when(col("n").gt(1), 1).otherwise(0)),
                sum(col("unknown")))
            .head();
    long unplanned = totals.isNullAt(0) ? 0 : totals.getLong(0);
    long duplicated = totals.isNullAt(1) ? 0 : totals.getLong(1);
    long unknown = totals.isNullAt(2) ? 0 : totals.getLong(2);
    return new Problems(
        unplanned,
        unplanned == 0 ? List.of() : examples(perRow.where(col("planned").isNull()), ROW_ID),
        duplicated,
        duplicated == 0 ? List.of() : examples(perRow.where(col("n").gt(1)), ROW_ID),
        unknown,
        unknown == 0 ? List.of() : examples(statuses.where(unknownStatus()), STATUS));
  }

  private static org.apache.spark.sql.Column unknownStatus() {
    return normalisedStatus().isNull().or(not(normalisedStatus().isin(SUCCEEDED, FAILED, ABORTED)));
  }

  private static List<String> examples(Dataset<Row> rows, String column) {
    return rows.select(col(column).cast("string")).limit(EXAMPLES).collectAsList().stream()
        .map(r -> r.isNullAt(0) ? "null" : "'" + r.getString(0) + "'")
        .collect(Collectors.toList());
  }
}
