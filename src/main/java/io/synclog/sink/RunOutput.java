package io.synclog.sink;

import io.synclog.log.RunRecord;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Everything one run writes, shaped to the tables' columns: its changelog rows, the sync's next
 * snapshot and its runs row.
 */
public record RunOutput(
    Dataset<Row> changelog, Dataset<Row> snapshot, RunRecord run, LocalDate runDate) {}
