package io.synclog.sink.snowflake;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.SPLIT_GROUP;

import io.synclog.log.LogTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The tables' DDL, derived from the column lists in {@link LogTables}. {@code fields} is {@code
 * VARIANT} in the changelog and the snapshot (so {@code fields:email} works), {@code VARCHAR} in
 * the plan table (which must give back the exact text). Timestamps are {@code TIMESTAMP_TZ}.
 *
 * <p>Snowflake declares but does not enforce primary keys; they document the tables' keys. The
 * changelog is clustered by (sync_id, run_date), matching the rerun's DELETE, "one run's rows" and
 * prune; the snapshot by sync_id, matching its replace-per-sync DELETE.
 */
final class SnowflakeDdl {
  private SnowflakeDdl() {}

  /** The Snowflake column type of a Spark type; every type a model or a log table may hold. */
  static String type(DataType t) {
    if (t instanceof StringType || t instanceof NullType) {
      return "VARCHAR";
    }
    if (t instanceof LongType) {
      return "BIGINT";
    }
    if (t instanceof IntegerType) {
      return "INTEGER";
    }
    if (t instanceof ShortType) {
      return "SMALLINT";
    }
    if (t instanceof ByteType) {
      return "BYTEINT";
    }
    if (t instanceof BooleanType) {
      return "BOOLEAN";
    }
    if (t instanceof DateType) {
      return "DATE";
    }
    if (t instanceof TimestampType) {
      return "TIMESTAMP_TZ";
    }
    if (t instanceof TimestampNTZType) {
      return "TIMESTAMP_NTZ";
    }
    if (t instanceof FloatType || t instanceof DoubleType) {
      return "FLOAT";
    }
    if (t instanceof DecimalType d) {
      return "NUMBER(" + d.precision() + ", " + d.scale() + ")";
    }
    if (t instanceof BinaryType) {
      return "BINARY";
    }
    if (t instanceof StructType || t instanceof MapType) {
      return "OBJECT";
    }
    if (t instanceof ArrayType) {
      return "ARRAY";
    }
    throw new IllegalArgumentException(
        "Cannot store Spark type " + t.simpleString() + " in Snowflake: cast it to a string first");
  }

  static List<String> columns(StructType schema, Map<String, String> types, List<String> notNull) {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      out.add(
          SnowflakeNames.quote(f.name())
              + " "
              + types.getOrDefault(f.name(), type(f.dataType()))
              + (notNull.contains(f.name()) ? " NOT NULL" : ""));
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

  static String createSchema(SnowflakeNames n) {
    return "CREATE SCHEMA IF NOT EXISTS " + SnowflakeNames.quote(n.schema());
  }

  /** The tables {@code prepare()} creates; each is a no-op when the table exists. */
  static List<String> tables(SnowflakeNames n, boolean changelog) {
    List<String> s = new ArrayList<>();
    if (changelog) {
      s.add(
          create(
              n,
              "changelog",
              columns(
                  LogTables.changelogSchema(false),
                  Map.of(FIELDS, "VARIANT"),
                  List.of("sync_id", "sync_run_id", "run_date")),
              null,
              "sync_id, run_date"));
    }
    s.add(
        create(
            n,
            "snapshot",
            columns(
                LogTables.snapshotSchema(false),
                Map.of(FIELDS, "VARIANT"),
                List.of("sync_id", "row_id")),
            "sync_id, row_id",
            "sync_id"));
    s.add(
        create(
            n,
            "runs",
            columns(LogTables.runsSchema(), Map.of(), List.of("sync_id", "sync_run_id")),
            "sync_id, sync_run_id",
            null));
    s.add(
        create(
            n,
            SnowflakeNames.PLANS,
            columns(LogTables.planSchema(), Map.of(), List.of("sync_id", "sync_run_id")),
            null,
            null));
    s.add(
        create(
            n,
            SnowflakeNames.LOCKS,
            columns(
                lockSchema(),
                Map.of(),
                List.of("sync_id", "sync_run_id", "phase", "base_version", "started_at")),
            "sync_id",
            null));
    return s;
  }

  private static String create(
      SnowflakeNames n, String logical, List<String> columns, String key, String clusterBy) {
    List<String> parts = new ArrayList<>(columns);
    if (key != null) {
      parts.add("PRIMARY KEY (" + quotedList(key) + ")");
    }
    return "CREATE TABLE IF NOT EXISTS "
        + n.qualified(logical)
        + " (\n  "
        + String.join(",\n  ", parts)
        + "\n)"
        + (clusterBy == null ? "" : " CLUSTER BY (" + quotedList(clusterBy) + ")");
  }

  private static String quotedList(String names) {
    List<String> out = new ArrayList<>();
    for (String name : names.split(",\\s*")) {
      out.add(SnowflakeNames.quote(name));
    }
    return String.join(", ", out);
  }

  /** Adds split_group to a table that lacks it; run only when a sync uses splits. */
  static String addSplitGroup(SnowflakeNames n, String logical) {
    return "ALTER TABLE "
        + n.qualified(logical)
        + " ADD COLUMN IF NOT EXISTS "
        + SnowflakeNames.quote(SPLIT_GROUP)
        + " VARCHAR";
  }

  /**
   * A TRANSIENT table (no Fail-safe: its rows never need recovering) for one run's rows, with
   * {@code fields} as VARCHAR: the connector loads strings, the commit parses them into VARIANT.
   */
  static List<String> createStaging(String qualified, StructType schema) {
    return List.of(
        "DROP TABLE IF EXISTS " + qualified,
        "CREATE TRANSIENT TABLE "
            + qualified
            + " (\n  "
            + String.join(",\n  ", columns(schema, Map.of(), List.of()))
            + "\n)");
  }

  static String dropStaging(String qualified) {
    return "DROP TABLE IF EXISTS " + qualified;
  }
}
