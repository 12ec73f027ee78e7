package io.synclog.sink.redshift;

import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/**
 * Redshift column types of Spark types. Text is {@code VARCHAR}, whose length Redshift counts in
 * bytes: columns that hold free text or JSON (fields, reasons, errors, schemas) get the maximum,
 * 65535; keys, ids and statuses get 1024, which keeps Redshift's per-column query memory small. A
 * value longer than its column fails the load loudly; nothing is truncated.
 */
final class RsTypes {
  private RsTypes() {}

  static final String LONG_TEXT = "VARCHAR(65535)";
  static final String SHORT_TEXT = "VARCHAR(1024)";

  /** Columns whose text can be long. */
  static final Set<String> LONG_TEXT_COLUMNS =
      Set.of(
          "fields",
          "fields_text",
          "failed_reason",
          "rejected_reason",
          "error",
          "model_schema",
          "primary_key");

  /** The column type of a named column: long text where listed, otherwise by its Spark type. */
  static String column(String name, DataType type) {
    if (type.equals(DataTypes.StringType)) {
      return LONG_TEXT_COLUMNS.contains(name) ? LONG_TEXT : SHORT_TEXT;
    }
    return sqlType(type);
  }

  /** The Redshift types of Spark's simple types. */
  private static final Map<DataType, String> SIMPLE =
      Map.ofEntries(
          Map.entry(DataTypes.StringType, LONG_TEXT),
          Map.entry(DataTypes.LongType, "BIGINT"),
          Map.entry(DataTypes.IntegerType, "INTEGER"),
          Map.entry(DataTypes.ShortType, "SMALLINT"),
          Map.entry(DataTypes.ByteType, "SMALLINT"),
          Map.entry(DataTypes.DoubleType, "DOUBLE PRECISION"),
          Map.entry(DataTypes.FloatType, "REAL"),
          Map.entry(DataTypes.BooleanType, "BOOLEAN"),
          Map.entry(DataTypes.DateType, "DATE"),
          Map.entry(DataTypes.TimestampType, "TIMESTAMPTZ"),
          Map.entry(DataTypes.TimestampNTZType, "TIMESTAMP"),
          Map.entry(DataTypes.BinaryType, "VARBYTE(1024000)"),
          Map.entry(DataTypes.NullType, SHORT_TEXT));

  /**
   * The Redshift type of a Spark type.
   *
   * @throws IllegalArgumentException for types Redshift cannot hold (intervals, user types)
   */
  static String sqlType(DataType type) {
    String simple = SIMPLE.get(type);
    if (simple != null) {
      return simple;
    }
    if (type instanceof DecimalType d) {
      return "DECIMAL(" + d.precision() + "," + d.scale() + ")";
    }
    if (type instanceof ArrayType || type instanceof MapType || type instanceof StructType) {
      return "SUPER";
    }
    throw new IllegalArgumentException(
        "Cannot store Spark type " + type.simpleString() + " in Redshift: no matching column type");
  }
}
