package io.synclog.plan;

/** Column names shared by the pipeline's stages and the three tables. */
public final class Columns {
  private Columns() {}

  /** The named columns, for {@code Dataset.select}. */
  public static org.apache.spark.sql.Column[] cols(String... names) {
    org.apache.spark.sql.Column[] out = new org.apache.spark.sql.Column[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = org.apache.spark.sql.functions.col(names[i]);
    }
    return out;
  }

  public static final String SYNC_ID = "sync_id";
  public static final String SYNC_RUN_ID = "sync_run_id";
  public static final String OP_TYPE = "op_type";
  public static final String ROW_ID = "row_id";
  public static final String STATUS = "status";
  public static final String FAILED_REASON = "failed_reason";
  public static final String FIELDS = "fields";
  public static final String SPLIT_GROUP = "split_group";

  /** Extra: xxhash64 of {@link #FIELDS}, for cheap comparisons in SQL. */
  public static final String FIELDS_HASH = "fields_hash";

  /** Extra (snapshot): whether the destination holds the row, as far as the log knows. */
  public static final String IN_DESTINATION = "in_destination";

  /** Extra (snapshot): the run that last planned an operation for the row. */
  public static final String LAST_SYNC_RUN_ID = "last_sync_run_id";

  /** Extra (changelog): the run's start date in UTC, the partition column. */
  public static final String RUN_DATE = "run_date";

  /** Plan only: why synclog itself refused to sync the row (null or duplicated key). */
  public static final String REJECTED_REASON = "rejected_reason";

  public static final String ADDED = "added";
  public static final String CHANGED = "changed";
  public static final String REMOVED = "removed";
  public static final String UNCHANGED = "unchanged";

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String ABORTED = "aborted";
}
