package io.synclog.sink.bigquery;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.SPLIT_GROUP;

import io.synclog.log.LogTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The tables' DDL, derived from the column lists in {@link LogTables}. {@code fields} is JSON in
 * the changelog and the snapshot; the snapshot also keeps {@code fields_text}, the exact canonical
 * JSON text the next run's diff compares (BigQuery's JSON type re-writes the text), and the plans
 * table keeps fields as STRING for the same reason.
 *
 * <p>Layout: the changelog is partitioned by {@code run_date} (prune drops whole days, a rerun's
 * DELETE touches one partition) and clustered by sync and run; the snapshot is clustered by sync
 * and row, so replacing one sync's rows rewrites only its blocks; runs, plans and locks are
 * clustered by sync.
 */
final class BqDdl {
  private BqDdl() {}

  static final String FIELDS_TEXT = "fields_text";

  static StructType lockSchema() {
    return new StructType()
        .add("sync_id", DataTypes.StringType)
        .add("sync_run_id", DataTypes.StringType)
        .add("phase", DataTypes.StringType)
        .add("base_version", DataTypes.LongType)
        .add("started_at", DataTypes.TimestampType)
        .add("claimed_at", DataTypes.TimestampType)
        .add("model_schema", DataTypes.StringType);
  }

  static List<String> columns(
      StructType schema, Map<String, String> typeOverrides, List<String> notNull) {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      String type = typeOverrides.getOrDefault(f.name(), BqTypes.sqlType(f.dataType()));
      out.add(f.name() + " " + type + (notNull.contains(f.name()) ? " NOT NULL" : ""));
    }
    return out;
  }

  /** The dataset and tables {@code prepare()} creates, as one script; each is a no-op if done. */
  static List<String> statements(BqNames n, boolean changelog) {
    List<String> s = new ArrayList<>();
    s.add("CREATE SCHEMA IF NOT EXISTS " + n.qualifiedDataset());
    if (changelog) {
      s.add(
          create(
              n,
              "changelog",
              columns(
                  LogTables.changelogSchema(false),
                  Map.of(FIELDS, "JSON"),
                  List.of("sync_id", "sync_run_id", "run_date")),
              "PARTITION BY run_date CLUSTER BY sync_id, sync_run_id"));
    }
    List<String> snapshot =
        columns(
            LogTables.snapshotSchema(false), Map.of(FIELDS, "JSON"), List.of("sync_id", "row_id"));
    snapshot.add(FIELDS_TEXT + " STRING");
    s.add(create(n, "snapshot", snapshot, "CLUSTER BY sync_id, row_id"));
    s.add(
        create(
            n,
            "runs",
            columns(LogTables.runsSchema(), Map.of(), List.of("sync_id", "sync_run_id")),
            "CLUSTER BY sync_id"));
    s.add(
        create(
            n,
            BqNames.PLANS,
            columns(LogTables.planSchema(), Map.of(), List.of("sync_id", "sync_run_id")),
            "CLUSTER BY sync_id, sync_run_id"));
    s.add(
        create(
            n,
            BqNames.LOCKS,
            columns(
                lockSchema(),
                Map.of(),
                List.of("sync_id", "sync_run_id", "phase", "base_version", "started_at")),
            "CLUSTER BY sync_id"));
    return s;
  }

  private static String create(BqNames n, String logical, List<String> columns, String layout) {
    return "CREATE TABLE IF NOT EXISTS "
        + n.qualified(logical)
        + " (\n  "
        + String.join(",\n  ", columns)
        + "\n)\n"
        + layout;
  }

  /** Adds split_group to a table that lacks it; run only when a sync starts using splits. */
  static String addSplitGroup(BqNames n, String logical) {
    return "ALTER TABLE "
        + n.qualified(logical)
        + " ADD COLUMN IF NOT EXISTS "
        + SPLIT_GROUP
        + " STRING";
  }

  /** Gives a staging table a day to live, so a run killed before its clean-up leaves nothing. */
  static String expire(String stagingPath) {
    return "ALTER TABLE "
        + stagingPath
        + " SET OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY))";
  }

  static String drop(String stagingPath) {
    return "DROP TABLE IF EXISTS " + stagingPath;
  }
}
