package io.synclog.sink.redshift;

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
 * The tables' DDL, derived from the column lists in {@link LogTables}. {@code fields} is {@code
 * SUPER} in the changelog and the snapshot, so it can be queried with PartiQL paths ({@code
 * c.fields.email}); the snapshot also keeps {@code fields_text}, the exact canonical JSON text the
 * next run's diff compares (SUPER re-serialises values). The plan keeps fields as text only.
 *
 * <p>No DISTSTYLE, DISTKEY or SORTKEY is given: new Redshift tables default to AUTO for both, and
 * Redshift's automatic table optimisation picks keys from the actual queries. Primary keys are
 * declared but, as always on Redshift, not enforced; the sink never relies on them.
 */
final class RsDdl {
  private RsDdl() {}

  static final String FIELDS_TEXT = "fields_text";
  static final String KIND = "kind";

  /** Column definitions of a Spark schema; NOT NULL where listed, types overridden where given. */
  static List<String> columns(
      StructType schema, Map<String, String> typeOverrides, List<String> notNull) {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      String type = typeOverrides.getOrDefault(f.name(), RsTypes.column(f.name(), f.dataType()));
      out.add(
          RsNames.quote(f.name()) + " " + type + (notNull.contains(f.name()) ? " NOT NULL" : ""));
    }
    return out;
  }

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

  static String createSchema(RsNames n) {
    return "CREATE SCHEMA IF NOT EXISTS " + RsNames.quote(n.schema());
  }

  /** The tables {@code prepare()} creates; each is a no-op when the table exists. */
  static List<String> statements(RsNames n, boolean changelog) {
    List<String> s = new ArrayList<>();
    if (changelog) {
      s.add(
          create(
              n,
              "changelog",
              columns(
                  LogTables.changelogSchema(false),
                  Map.of(FIELDS, "SUPER"),
                  List.of("sync_id", "sync_run_id", "run_date")),
              null));
    }
    List<String> snapshot =
        columns(
            LogTables.snapshotSchema(false), Map.of(FIELDS, "SUPER"), List.of("sync_id", "row_id"));
    snapshot.add(RsNames.quote(FIELDS_TEXT) + " " + RsTypes.LONG_TEXT);
    s.add(create(n, "snapshot", snapshot, "sync_id, row_id"));
    s.add(
        create(
            n,
            "runs",
            columns(LogTables.runsSchema(), Map.of(), List.of("sync_id", "sync_run_id")),
            "sync_id, sync_run_id"));
    s.add(
        create(
            n,
            RsNames.PLANS,
            columns(LogTables.planSchema(), Map.of(), List.of("sync_id", "sync_run_id")),
            null));
    s.add(
        create(
            n,
            RsNames.LOCKS,
            columns(
                lockSchema(),
                Map.of(),
                List.of("sync_id", "sync_run_id", "phase", "base_version", "started_at")),
            "sync_id"));
    return s;
  }

  private static String create(RsNames n, String logical, List<String> columns, String key) {
    List<String> parts = new ArrayList<>(columns);
    if (key != null) {
      parts.add("PRIMARY KEY (" + key + ")");
    }
    return "CREATE TABLE IF NOT EXISTS "
        + n.qualified(logical)
        + " (\n  "
        + String.join(",\n  ", parts)
        + "\n)";
  }

  /** Adds split_group to a table that lacks it; run only when a sync starts using splits. */
  static String addSplitGroup(RsNames n, String logical) {
    return "ALTER TABLE "
        + n.qualified(logical)
        + " ADD COLUMN "
        + RsNames.quote(SPLIT_GROUP)
        + " "
        + RsTypes.SHORT_TEXT;
  }

  /** A staging table for a union schema whose first column is {@link #KIND}. */
  static String createStaging(String qualified, StructType schema) {
    List<String> cols = columns(schema, Map.of(), List.of(KIND));
    return "CREATE TABLE " + qualified + " (\n  " + String.join(",\n  ", cols) + "\n)";
  }
}
