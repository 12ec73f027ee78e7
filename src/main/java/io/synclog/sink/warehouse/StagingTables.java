package io.synclog.sink.warehouse;

import io.synclog.log.SyncRun;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's staging tables: created empty (a hard-killed earlier attempt may have left one behind),
 * bulk-loaded, read by the commit's one transaction, and dropped when the run's write ends,
 * successfully or not. Used in try-with-resources.
 */
public final class StagingTables implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StagingTables.class);

  /** The statements that (re-)create an empty staging table for rows of a schema. */
  @FunctionalInterface
  public interface Create {
    List<String> ddl(String table, StructType schema);
  }

  /** Bulk-loads rows into a staging table: COPY, or a connector's load. */
  @FunctionalInterface
  public interface Loader {
    void load(Dataset<Row> rows, String table) throws SQLException;
  }

  private final JdbcSession jdbc;
  private final WarehouseNames names;
  private final Create create;
  private final Loader loader;
  private final SyncRun run;
  private final Set<String> created = new LinkedHashSet<>();

  public StagingTables(
      JdbcSession jdbc, WarehouseNames names, Create create, Loader loader, SyncRun run) {
    this.jdbc = jdbc;
    this.names = names;
    this.create = create;
    this.loader = loader;
    this.run = run;
  }

  /** Creates the staging table of a logical table and loads the rows; returns its name. */
  public String load(String logical, Dataset<Row> rows) throws SQLException {
    String table = names.staging(run, logical);
    created.add(table);
    jdbc.autoCommit(
        c -> {
          for (String ddl : create.ddl(table, rows.schema())) {
            JdbcSession.execute(c, ddl);
          }
          return null;
        });
    long start = System.nanoTime();
    loader.load(rows, table);
    LOG.info(
        "staged {} rows of sync '{}' run '{}' in {} ms",
        logical,
        run.syncId(),
        run.runId(),
        (System.nanoTime() - start) / 1_000_000);
    return table;
  }

  /**
   * Drops, quietly, the staging tables of logical tables (or purposes) that a hard-killed attempt
   * of the run may have left behind: for a sink that releases a run's lock.
   */
  public static void dropLeftovers(
      JdbcSession jdbc, WarehouseNames names, SyncRun run, List<String> logical) {
    StagingTables leftovers = new StagingTables(jdbc, names, null, null, run);
    logical.forEach(l -> leftovers.created.add(names.staging(run, l)));
    leftovers.close();
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
              JdbcSession.execute(c, WarehouseDdl.drop(table));
            }
            return null;
          });
    } catch (SQLException | RuntimeException e) {
      LOG.warn(
          "could not drop staging tables {} of sync '{}' run '{}' ({}); a rerun of the run"
              + " replaces them, or drop them by hand",
          created,
          run.syncId(),
          run.runId(),
          e.getClass().getSimpleName());
    }
  }
}
