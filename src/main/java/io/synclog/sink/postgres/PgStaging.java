package io.synclog.sink.postgres;

import static io.synclog.plan.Columns.FIELDS;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's staging tables: created UNLOGGED (no WAL; their contents never need to survive a
 * crash), loaded with COPY, read by the commit's INSERT ... SELECT, and dropped when the run's
 * write ends, successfully or not. Used in try-with-resources.
 */
final class PgStaging implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgStaging.class);

  private final PgTarget target;
  private final PgNames names;
  private final String syncId;
  private final String runId;
  private final Set<String> created = new LinkedHashSet<>();

  PgStaging(PgTarget target, PgNames names, String syncId, String runId) {
    this.target = target;
    this.names = names;
    this.syncId = syncId;
    this.runId = runId;
  }

  /** Creates the staging table of a logical table and loads the rows; returns its name. */
  String load(String logical, Dataset<Row> rows) throws SQLException {
    String table = names.staging(syncId, runId, logical);
    created.add(table);
    Jdbc.autoCommit(
        target,
        c -> {
          // a hard-killed earlier attempt of this run may have left it behind
          Jdbc.execute(c, "DROP TABLE IF EXISTS " + table);
          Jdbc.execute(c, PgDdl.createStaging(table, rows.schema()));
          return null;
        });
    long start = System.nanoTime();
    PgCopy.load(rows, target, table);
    LOG.info(
        "staged {} rows of sync '{}' run '{}' in {} ms",
        logical,
        syncId,
        runId,
        (System.nanoTime() - start) / 1_000_000);
    return table;
  }

  /**
   * {@code INSERT INTO target (cols) SELECT cols FROM staging}, casting {@code fields} to the
   * target's JSON type and, when asked, also copying its exact text to {@code textColumn}.
   */
  static String insertSelect(
      String targetTable,
      String staging,
      List<StructField> columns,
      String jsonType,
      String textColumn) {
    List<String> into = new ArrayList<>();
    List<String> select = new ArrayList<>();
    for (StructField f : columns) {
      String q = PgNames.quote(f.name());
      into.add(q);
      select.add(f.name().equals(FIELDS) ? q + "::" + jsonType : q);
      if (f.name().equals(FIELDS) && textColumn != null) {
        into.add(PgNames.quote(textColumn));
        select.add(q);
      }
    }
    return "INSERT INTO "
        + targetTable
        + " ("
        + String.join(", ", into)
        + ") SELECT "
        + String.join(", ", select)
        + " FROM "
        + staging;
  }

  /** Drops every staging table this run created; never throws, so it cannot mask the failure. */
  @Override
  public void close() {
    if (created.isEmpty()) {
      return;
    }
    try {
      Jdbc.autoCommit(
          target,
          c -> {
            for (String table : created) {
              Jdbc.execute(c, "DROP TABLE IF EXISTS " + table);
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
          e.getMessage());
    }
  }
}
