package io.synclog.sink.redshift;

import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.RunLock;
import io.synclog.sink.warehouse.JdbcSession;
import io.synclog.sink.warehouse.StagingTables;
import io.synclog.sink.warehouse.WarehouseDdl;
import io.synclog.sink.warehouse.WarehouseLocks;
import io.synclog.sink.warehouse.WarehouseNames;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The sink's bulk reads and writes, through the spark-redshift connector: a log table read back
 * (UNLOAD to the temp dir, filtered by the Spark predicates the connector pushes down), and a
 * staged write that is ONE connector write, so one Redshift transaction: it loads the run's staging
 * table (COPY from the temp dir), then runs the postactions, the first of which check the lock.
 */
record RsConnector(
    SparkSession spark,
    RsTarget target,
    JdbcSession jdbc,
    WarehouseNames names,
    WarehouseLocks locks) {
  /** A log table's rows, unfiltered until the caller adds its predicates. */
  Dataset<Row> read(String logical) {
    return spark
        .read()
        .format(RsTarget.CONNECTOR)
        .options(target.connectorOptions(names.qualified(logical)))
        .load();
  }

  /**
   * Creates the run's staging table of a purpose ({@code commit} or {@code plan}) empty, replacing
   * one a hard-killed earlier attempt left; writes the rows with the postactions made for it; drops
   * it however the write ends.
   *
   * @param logical the table the write is for, in messages
   */
  void stagedWrite(
      String logical,
      RunLock lock,
      String purpose,
      Dataset<Row> rows,
      Function<String, List<String>> postactions,
      FaultHook hook)
      throws SQLException {
    try (StagingTables staging =
        new StagingTables(
            jdbc,
            names,
            (table, schema) ->
                List.of(WarehouseDdl.drop(table), RsDdl.createStaging(table, schema)),
            (data, table) -> write(logical, lock, data, table, postactions.apply(table), hook),
            lock.run())) {
      staging.load(purpose, rows);
    }
  }

  private void write(
      String logical,
      RunLock lock,
      Dataset<Row> rows,
      String staging,
      List<String> postactions,
      FaultHook hook)
      throws SQLException {
    if (!jdbc.autoCommit(c -> locks.holds(c, lock))) {
      throw Errors.lockLost(lock.run(), names.display(WarehouseNames.LOCKS));
    }
    hook.at(LogSink.AFTER_CHANGELOG);
    hook.at(LogSink.AFTER_SNAPSHOT);
    try {
      rows.write()
          .format(RsTarget.CONNECTOR)
          .options(target.connectorOptions(staging))
          .option("postactions", RsSwap.join(postactions))
          .mode(SaveMode.Append)
          .save();
    } catch (SyncLogException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(logical, lock, e);
    }
  }

  /** The error of a failed write: the lost lock when that is why, else the write failure. */
  private SyncLogException failure(String logical, RunLock lock, RuntimeException e) {
    boolean held;
    try {
      held = jdbc.autoCommit(c -> locks.holds(c, lock));
    } catch (SQLException | RuntimeException check) {
      held = true;
    }
    if (!held) {
      return Errors.lockLost(lock.run(), names.display(WarehouseNames.LOCKS));
    }
    return Errors.writeFailed(lock.run(), names.display(logical), target.scrub(rootCause(e)));
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c && !(c instanceof SQLException)) {
      c = c.getCause();
    }
    return c;
  }
}
