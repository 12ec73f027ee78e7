package io.synclog.sink;

import io.synclog.log.RunRecord;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Everything one run writes, shaped to the tables' columns: its changelog rows, the sync's next
 * snapshot and its runs row. A sink may write the snapshot whole, or apply {@code snapshotChanges}
 * (see {@link io.synclog.log.SnapshotChange#SNAPSHOT_CHANGE}) to the snapshot the run diffed
 * against; null when the run offers no changes.
 */
public record RunOutput(
    Dataset<Row> changelog,
    Dataset<Row> snapshot,
    RunRecord run,
    LocalDate runDate,
    Dataset<Row> snapshotChanges) {

  /** Output without snapshot changes: the snapshot is written whole. */
  public RunOutput(
      Dataset<Row> changelog, Dataset<Row> snapshot, RunRecord run, LocalDate runDate) {
    this(changelog, snapshot, run, runDate, null);
  }
}
