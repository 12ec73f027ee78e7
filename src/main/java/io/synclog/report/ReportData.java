package io.synclog.report;

import java.time.Instant;
import java.util.List;

/**
 * What the run report shows for one sync, collected by {@link ReportJob} and drawn by {@link
 * ReportPage}: plain values, so the page is rendered (and tested) without Spark.
 */
public record ReportData(
    String syncId,
    String modelName,
    String destination,
    Instant generatedAt,
    String source,
    List<RunPoint> runs,
    List<Category> categories,
    List<FailingRow> topRows,
    List<Membership> membership) {

  /** One run's rows, summed over the operations, oldest run first. */
  public record RunPoint(
      String runId,
      Instant startedAt,
      String status,
      long planned,
      long attempted,
      long succeeded,
      long failed,
      long aborted) {}

  /** Failed operations of one error category over the report's runs. */
  public record Category(String category, long failures, long failedRows, String exampleReason) {}

  /** A row that failed in the report's runs, with how often and its latest reason. */
  public record FailingRow(
      String rowId, long failures, long failedRuns, String latestReason, Instant lastFailedAt) {}

  /** Rows entering and exiting the model in one run, and the members held after it. */
  public record Membership(
      String runId,
      Instant startedAt,
      long entered,
      long exited,
      long addedToDestination,
      long removedFromDestination,
      long membersAfterRun) {}
}
