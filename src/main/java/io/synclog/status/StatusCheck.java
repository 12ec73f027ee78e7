package io.synclog.status;

import static io.synclog.plan.Columns.ABORTED;
import static io.synclog.plan.Columns.FAILED;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.STATUS;
import static io.synclog.plan.Columns.SUCCEEDED;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

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

  /** Normalised status value: lower case, trimmed. */
  public static org.apache.spark.sql.Column normalisedStatus() {
    return org.apache.spark.sql.functions.lower(
        org.apache.spark.sql.functions.trim(col(STATUS)));
  }

  public static Problems check(Dataset<Row> statuses, Dataset<Row> sendablePlan) {
    Dataset<Row> unplanned =
        statuses.join(
            sendablePlan.select(col(ROW_ID).as("plan_key")),
            col(ROW_ID).eqNullSafe(col("plan_key")),
            "left_anti");
    Dataset<Row> duplicated =
        statuses.groupBy(ROW_ID).agg(count(lit(1)).as("n")).where(col("n").gt(1));
    Dataset<Row> unknown =
        statuses.where(
            normalisedStatus().isNull().or(not(normalisedStatus().isin(SUCCEEDED, FAILED, ABORTED))));
    return new Problems(
        unplanned.count(),
        examples(unplanned, ROW_ID),
        duplicated.count(),
        examples(duplicated, ROW_ID),
        unknown.count(),
        examples(unknown, STATUS));
  }

  private static List<String> examples(Dataset<Row> rows, String column) {
    return rows.select(col(column).cast("string")).limit(EXAMPLES).collectAsList().stream()
        .map(r -> r.isNullAt(0) ? "null" : "'" + r.getString(0) + "'")
        .collect(Collectors.toList());
  }
}
