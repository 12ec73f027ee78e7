package io.synclog.sink.bigquery;

import io.synclog.sink.warehouse.WarehouseDdl;
import java.util.ArrayList;
import java.util.List;

/**
 * The dataset and tables' DDL: the tables from {@link WarehouseDdl} through {@link BigQueryDialect}
 * (its types and PARTITION BY / CLUSTER BY layout), and the staging tables' expiry and clean-up.
 */
final class BqDdl {
  private BqDdl() {}

  static final String FIELDS_TEXT = WarehouseDdl.FIELDS_TEXT;

  /** The dataset and tables {@code prepare()} creates, as one script; each is a no-op if done. */
  static List<String> statements(BqNames n, boolean changelog) {
    List<String> s = new ArrayList<>();
    s.add(WarehouseDdl.createSchema(n));
    s.addAll(WarehouseDdl.tables(n, changelog));
    return s;
  }

  /** Adds split_group to a table that lacks it; run only when a sync starts using splits. */
  static String addSplitGroup(BqNames n, String logical) {
    return WarehouseDdl.addSplitGroup(n, logical);
  }

  /** Gives a staging table a day to live, so a run killed before its clean-up leaves nothing. */
  static String expire(String stagingPath) {
    return "ALTER TABLE "
        + stagingPath
        + " SET OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY))";
  }

  static String drop(String stagingPath) {
    return WarehouseDdl.drop(stagingPath);
  }
}
