package io.synclog.sink.warehouse;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.SPLIT_GROUP;

import io.synclog.log.LogTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The five tables' DDL in any warehouse, derived from the column lists in {@link LogTables} through
 * a {@link Dialect}'s types, so no warehouse can drift from the others. {@code fields} takes the
 * warehouse's JSON type in the changelog and the snapshot; where that type re-writes the text, the
 * snapshot also keeps {@code fields_text}, the exact canonical JSON the next run's diff compares.
 */
public final class WarehouseDdl {
  private WarehouseDdl() {}

  public static final String FIELDS_TEXT = "fields_text";

  /** The lock table: one row per sync, naming the run that holds it. */
  public static StructType lockSchema() {
    return new StructType()
        .add("sync_id", DataTypes.StringType)
        .add("sync_run_id", DataTypes.StringType)
        .add("phase", DataTypes.StringType)
        .add("base_version", DataTypes.LongType)
        .add("started_at", DataTypes.TimestampType)
        .add("claimed_at", DataTypes.TimestampType)
        .add("model_schema", DataTypes.StringType);
  }

  /** Column definitions of a Spark schema; NOT NULL where listed, types overridden where given. */
  public static List<String> columns(
      Dialect d, StructType schema, Map<String, String> typeOverrides, List<String> notNull) {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      String type = typeOverrides.getOrDefault(f.name(), d.columnType(f.name(), f.dataType()));
      out.add(d.column(f.name()) + " " + type + (notNull.contains(f.name()) ? " NOT NULL" : ""));
    }
    return out;
  }

  /** {@code CREATE SCHEMA IF NOT EXISTS}, for the schema of the names. */
  public static String createSchema(WarehouseNames n) {
    return "CREATE SCHEMA IF NOT EXISTS " + n.qualifiedSchema();
  }

  /** The tables (and their indexes) {@code prepare()} creates; each is a no-op once applied. */
  public static List<String> tables(WarehouseNames n, boolean changelog) {
    Dialect d = n.dialect();
    List<String> s = new ArrayList<>();
    if (changelog) {
      add(
          s,
          n,
          "changelog",
          columns(
              d,
              LogTables.changelogSchema(false),
              Map.of(FIELDS, d.jsonType()),
              List.of("sync_id", "sync_run_id", "run_date")),
          List.of());
    }
    List<String> snapshot =
        columns(
            d,
            LogTables.snapshotSchema(false),
            Map.of(FIELDS, d.jsonType()),
            List.of("sync_id", "row_id"));
    if (d.fieldsTextType() != null) {
      snapshot.add(d.column(FIELDS_TEXT) + " " + d.fieldsTextType());
    }
    add(s, n, "snapshot", snapshot, List.of("sync_id", "row_id"));
    add(
        s,
        n,
        "runs",
        columns(d, LogTables.runsSchema(), Map.of(), List.of("sync_id", "sync_run_id")),
        List.of("sync_id", "sync_run_id"));
    Map<String, String> planTypes = new HashMap<>();
    if (d.planFieldsType() != null) {
      planTypes.put(FIELDS, d.planFieldsType());
    }
    add(
        s,
        n,
        WarehouseNames.PLANS,
        columns(d, LogTables.planSchema(), planTypes, List.of("sync_id", "sync_run_id")),
        List.of());
    add(
        s,
        n,
        WarehouseNames.LOCKS,
        columns(
            d,
            lockSchema(),
            Map.of(),
            List.of("sync_id", "sync_run_id", "phase", "base_version", "started_at")),
        List.of("sync_id"));
    return s;
  }

  private static void add(
      List<String> statements,
      WarehouseNames n,
      String logical,
      List<String> columns,
      List<String> key) {
    Dialect d = n.dialect();
    List<String> parts = new ArrayList<>(columns);
    String primaryKey = key.isEmpty() ? null : d.primaryKey(key);
    if (primaryKey != null) {
      parts.add(primaryKey);
    }
    statements.add(
        "CREATE TABLE IF NOT EXISTS "
            + n.qualified(logical)
            + " (\n  "
            + String.join(",\n  ", parts)
            + "\n)"
            + d.tableOptions(logical));
    statements.addAll(d.afterCreate(n, logical));
  }

  /** Adds split_group to a table that lacks it; run only when a sync starts using splits. */
  public static String addSplitGroup(WarehouseNames n, String logical) {
    Dialect d = n.dialect();
    return "ALTER TABLE "
        + n.qualified(logical)
        + " ADD COLUMN "
        + (d.addColumnIfNotExists() ? "IF NOT EXISTS " : "")
        + d.column(SPLIT_GROUP)
        + " "
        + d.columnType(SPLIT_GROUP, DataTypes.StringType);
  }

  /** {@code DROP TABLE IF EXISTS}, for a staging table. */
  public static String drop(String qualified) {
    return "DROP TABLE IF EXISTS " + qualified;
  }
}
