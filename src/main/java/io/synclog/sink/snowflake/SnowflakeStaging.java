package io.synclog.sink.snowflake;

import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's staging tables: re-created empty (a hard-killed earlier attempt may have left one),
 * bulk-loaded by the connector, read by the commit's INSERT ... SELECT, and dropped when the run's
 * write ends, successfully or not. Used in try-with-resources.
 */
final class SnowflakeStaging implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnowflakeStaging.class);

  private final SnowflakeJdbc jdbc;
  private final SnowflakeTransfer transfer;
  private final SnowflakeNames names;
  private final String syncId;
  private final String runId;
  private final Set<String> created = new LinkedHashSet<>();

  SnowflakeStaging(
      SnowflakeJdbc jdbc,
      SnowflakeTransfer transfer,
      SnowflakeNames names,
      String syncId,
      String runId) {
    this.jdbc = jdbc;
    this.transfer = transfer;
    this.names = names;
    this.syncId = syncId;
    this.runId = runId;
  }

  /** Creates the staging table of a logical table and loads the rows; returns its name. */
  String load(String logical, Dataset<Row> rows) throws SQLException {
    String table = names.staging(syncId, runId, logical);
    created.add(table);
    jdbc.autoCommit(
        c -> {
          for (String ddl : SnowflakeDdl.createStaging(table, rows.schema())) {
            SnowflakeJdbc.execute(c, ddl);
          }
          return null;
        });
    long start = System.nanoTime();
    transfer.load(rows, table);
    LOG.info(
        "staged {} rows of sync '{}' run '{}' in {} ms",
        logical,
        syncId,
        runId,
        (System.nanoTime() - start) / 1_000_000);
    return table;
  }

  /** Drops every staging table this run created; never throws, so it cannot mask a failure. */
  @Override
  public void close() {
    if (created.isEmpty()) {
      return;
    }
    try {
      jdbc.autoCommit(
          c -> {
            for (String table : created) {
              SnowflakeJdbc.execute(c, SnowflakeDdl.dropStaging(table));
            }
            return null;
          });
    } catch (SQLException | RuntimeException e) {
      LOG.warn(
          "could not drop staging tables {} of sync '{}' run '{}' ({}); a rerun of the run"
              + " replaces them, or drop them by hand",
          created,
          syncId,
          runId,
          e.getClass().getSimpleName());
    }
  }
}
