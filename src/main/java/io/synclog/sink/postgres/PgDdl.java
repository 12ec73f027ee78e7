package io.synclog.sink.postgres;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.SPLIT_GROUP;

import io.synclog.log.LogTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The tables' DDL, derived from the column lists in {@link LogTables} so the two sinks cannot drift
 * apart. Types: {@code fields} is {@code jsonb}, timestamps {@code timestamptz}, counts {@code
 * bigint}, everything else {@code text}.
 *
 * <p>Keys and indexes, and the queries they serve:
 *
 * <ul>
 *   <li>snapshot: primary key (sync_id, row_id), the replace-per-sync DELETE and row look-ups; a
 *       partial index on failed_reason for "most common errors";
 *   <li>changelog: (sync_id, sync_run_id) for "one run's rows" and the rerun's DELETE, (sync_id,
 *       row_id) for a row's history and enter/exit with lag(), (run_date) for prune;
 *   <li>runs: primary key (sync_id, sync_run_id), the upsert and the changelog join; (sync_id,
 *       started_at) for "latest run";
 *   <li>plans: (sync_id, sync_run_id); locks: primary key (sync_id), one holder per sync.
 * </ul>
 *
 * <p>The snapshot keeps, besides {@code fields} as jsonb, {@code fields_text}: the exact canonical
 * JSON text the diff compares. jsonb re-orders keys and re-spaces values, so without it every row
 * would look changed on the next run. The plan table stores {@code fields} as {@code json}, which
 * keeps the text as written, for the same reason.
 */
final class PgDdl {
  private PgDdl() {}

  static final String FIELDS_TEXT = "fields_text";

  static String sqlType(DataType type) {
    if (type.equals(DataTypes.LongType)) {
      return "bigint";
    }
    if (type.equals(DataTypes.IntegerType)) {
      return "integer";
    }
    if (type.equals(DataTypes.BooleanType)) {
      return "boolean";
    }
    if (type.equals(DataTypes.DateType)) {
      return "date";
    }
    if (type.equals(DataTypes.TimestampType)) {
      return "timestamptz";
    }
    return "text";
  }

  /** Column definitions of a Spark schema; NOT NULL where listed, types overridden where given. */
  static List<String> columns(
      StructType schema, Map<String, String> typeOverrides, List<String> notNull) {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      String type = typeOverrides.getOrDefault(f.name(), sqlType(f.dataType()));
      out.add(
          PgNames.quote(f.name()) + " " + type + (notNull.contains(f.name()) ? " NOT NULL" : ""));
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

  /**
   * Creates the schema. Run only when it is missing: Postgres checks the CREATE privilege on the
   * database even when the schema exists, and a user who merely owns the schema lacks it.
   */
  static String createSchema(PgNames n) {
    return "CREATE SCHEMA IF NOT EXISTS " + PgNames.quote(n.schema());
  }

  /** The tables and indexes {@code prepare()} creates; each is a no-op when already applied. */
  static List<String> statements(PgNames n, boolean changelog) {
    List<String> s = new ArrayList<>();
    if (changelog) {
      s.add(
          create(
              n,
              "changelog",
              columns(
                  LogTables.changelogSchema(false),
                  Map.of(FIELDS, "jsonb"),
                  List.of("sync_id", "sync_run_id", "run_date")),
              null));
      s.add(index(n, "changelog", "by_run", "(sync_id, sync_run_id)"));
      s.add(index(n, "changelog", "by_row", "(sync_id, row_id)"));
      s.add(index(n, "changelog", "by_date", "(run_date)"));
    }
    List<String> snapshot =
        columns(
            LogTables.snapshotSchema(false), Map.of(FIELDS, "jsonb"), List.of("sync_id", "row_id"));
    snapshot.add(PgNames.quote(FIELDS_TEXT) + " text");
    s.add(create(n, "snapshot", snapshot, "sync_id, row_id"));
    s.add(index(n, "snapshot", "failed_reason", "(failed_reason) WHERE failed_reason IS NOT NULL"));
    s.add(
        create(
            n,
            "runs",
            columns(LogTables.runsSchema(), Map.of(), List.of("sync_id", "sync_run_id")),
            "sync_id, sync_run_id"));
    s.add(index(n, "runs", "latest", "(sync_id, started_at DESC, recorded_at DESC)"));
    s.add(
        create(
            n,
            PgNames.PLANS,
            columns(
                LogTables.planSchema(), Map.of(FIELDS, "json"), List.of("sync_id", "sync_run_id")),
            null));
    s.add(index(n, PgNames.PLANS, "by_run", "(sync_id, sync_run_id)"));
    s.add(
        create(
            n,
            PgNames.LOCKS,
            columns(
                lockSchema(),
                Map.of(),
                List.of("sync_id", "sync_run_id", "phase", "base_version", "started_at")),
            "sync_id"));
    return s;
  }

  private static String create(PgNames n, String logical, List<String> columns, String key) {
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

  private static String index(PgNames n, String logical, String suffix, String definition) {
    String name = PgNames.identifier("an index name", n.table(logical) + "_" + suffix);
    return "CREATE INDEX IF NOT EXISTS "
        + PgNames.quote(name)
        + " ON "
        + n.qualified(logical)
        + " "
        + definition;
  }

  /** Adds split_group to a table that lacks it; run only when a sync starts using splits. */
  static String addSplitGroup(PgNames n, String logical) {
    return "ALTER TABLE "
        + n.qualified(logical)
        + " ADD COLUMN IF NOT EXISTS "
        + PgNames.quote(SPLIT_GROUP)
        + " text";
  }

  /** An UNLOGGED table for one run's rows of a Spark schema, plus the writing task's partition. */
  static String createStaging(String qualified, StructType schema) {
    List<String> cols = columns(schema, Map.of(), List.of());
    cols.add(PgNames.quote(PgCopy.PART) + " integer NOT NULL");
    return "CREATE UNLOGGED TABLE " + qualified + " (\n  " + String.join(",\n  ", cols) + "\n)";
  }
}
