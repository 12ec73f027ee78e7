package io.synclog.log;

/**
 * The words of a run's snapshot changes ({@link io.synclog.sink.RunOutput#snapshotChanges()}): the
 * sync's next snapshot given as what to do to the previous snapshot's row with each row_id. A sink
 * may apply them instead of writing the snapshot whole. Applying the changes twice gives the same
 * snapshot as applying them once.
 */
public final class SnapshotChange {
  private SnapshotChange() {}

  /** The column that holds the change. */
  public static final String SNAPSHOT_CHANGE = "snapshot_change";

  /** Replace or insert the whole row. */
  public static final String UPSERT = "upsert";

  /**
   * Keep the row, its op_type becoming {@code unchanged}: a row planned last run and not this run.
   */
  public static final String RESET = "reset";

  /** Remove the row. */
  public static final String DELETE = "delete";
}
