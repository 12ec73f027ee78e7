package io.synclog.sink.redshift;

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

  /**
   * The Redshift type of a Spark type.
   *
   * @throws IllegalArgumentException for types Redshift cannot hold (intervals, user types)
   */
  static String sqlType(DataType type) {
    if (type.equals(DataTypes.StringType)) {
      return LONG_TEXT;
    }
    if (type.equals(DataTypes.LongType)) {
      return "BIGINT";
    }
    if (type.equals(DataTypes.IntegerType)) {
      return "INTEGER";
    }
    if (type.equals(DataTypes.ShortType) || type.equals(DataTypes.ByteType)) {
      return "SMALLINT";
    }
    if (type.equals(DataTypes.DoubleType)) {
      return "DOUBLE PRECISION";
    }
    if (type.equals(DataTypes.FloatType)) {
      return "REAL";
    }
    if (type instanceof DecimalType d) {
      return "DECIMAL(" + d.precision() + "," + d.scale() + ")";
    }
    if (type.equals(DataTypes.BooleanType)) {
      return "BOOLEAN";
    }
    if (type.equals(DataTypes.DateType)) {
      return "DATE";
    }
    if (type.equals(DataTypes.TimestampType)) {
      return "TIMESTAMPTZ";
    }
    if (type.equals(DataTypes.TimestampNTZType)) {
      return "TIMESTAMP";
    }
    if (type.equals(DataTypes.BinaryType)) {
      return "VARBYTE(1024000)";
    }
    if (type instanceof ArrayType || type instanceof MapType || type instanceof StructType) {
      return "SUPER";
    }
    if (type.equals(DataTypes.NullType)) {
      return SHORT_TEXT;
    }
    throw new IllegalArgumentException(
        "Cannot store Spark type " + type.simpleString() + " in Redshift: no matching column type");
  }
}
