package io.synclog.views;

import static io.synclog.plan.Columns.FAILED_REASON;
import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.LAST_SYNC_RUN_ID;
import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.STATUS;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static io.synclog.sink.TableView.Column.ifPresent;
import static io.synclog.sink.TableView.Column.renamed;
import static io.synclog.sink.TableView.Column.same;

import io.synclog.log.LogTables;
import io.synclog.sink.TableView;
import java.util.ArrayList;
import java.util.List;

/**
 * Hightouch's three audit tables as views over synclog's: the reference's columns in its order (and
 * the snapshot's run, which the dbt package lists), under the names Hightouch's own tables and its
 * dbt package use. Two differ from synclog's: the reason a row failed is {@code failure_reason}
 * (synclog follows the reference's schema, {@code failed_reason}), and the snapshot's {@code
 * sync_run_id} is synclog's {@code last_sync_run_id}. synclog's extra columns are left out, so
 * {@code select *} reads as it did on Hightouch; {@code split_group} appears once a sync uses
 * splits, as on Hightouch.
 */
public final class HightouchViews {
  private HightouchViews() {}

  /** The {@code --compat} value. */
  public static final String NAME = "hightouch";

  /** The schema the views go in unless {@code --compat-schema} names another: Hightouch's. */
  public static final String DEFAULT_SCHEMA = "hightouch_audit";

  /** Hightouch's reason column, synclog's {@code failed_reason}. */
  public static final String FAILURE_REASON = "failure_reason";

  public static final TableView CHANGELOG =
      new TableView(
          LogTables.CHANGELOG,
          "changelog",
          List.of(
              same(SYNC_ID),
              same(SYNC_RUN_ID),
              same(OP_TYPE),
              same(ROW_ID),
              same(STATUS),
              renamed(FAILED_REASON, FAILURE_REASON),
              same(FIELDS),
              ifPresent(SPLIT_GROUP)));

  public static final TableView SNAPSHOT =
      new TableView(
          LogTables.SNAPSHOT,
          "snapshot",
          List.of(
              same(SYNC_ID),
              renamed(LAST_SYNC_RUN_ID, SYNC_RUN_ID),
              same(OP_TYPE),
              same(ROW_ID),
              same(STATUS),
              renamed(FAILED_REASON, FAILURE_REASON),
              same(FIELDS),
              ifPresent(SPLIT_GROUP)));

  public static final TableView RUNS = new TableView(LogTables.RUNS, "runs", runsColumns());

  /** The views, in the order they are created. */
  public static final List<TableView> ALL = List.of(CHANGELOG, SNAPSHOT, RUNS);

  private static List<TableView.Column> runsColumns() {
    List<TableView.Column> columns = new ArrayList<>();
    for (String c :
        List.of(
            SYNC_ID,
            SYNC_RUN_ID,
            "primary_key",
            "destination",
            "model_name",
            "model_id",
            STATUS,
            "error",
            "started_at",
            "finished_at")) {
      columns.add(same(c));
    }
    LogTables.COUNT_COLUMNS.forEach(c -> columns.add(same(c)));
    return columns;
  }
}
