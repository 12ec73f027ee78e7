package io.synclog.sink.bigquery;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.CalendarIntervalType;
import org.apache.spark.sql.types.CharType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DayTimeIntervalType;
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
import org.apache.spark.sql.types.VarcharType;
import org.apache.spark.sql.types.YearMonthIntervalType;

/**
 * Spark types as GoogleSQL column types, for the DDL synclog writes. A decimal becomes NUMERIC when
 * it fits (at most 29 integer and 9 fraction digits), else BIGNUMERIC; a map, which BigQuery has no
 * type for, and the interval types become JSON and INTERVAL.
 */
final class BqTypes {
  private BqTypes() {}

  static String sqlType(DataType type) {
    if (type instanceof StringType || type instanceof VarcharType || type instanceof CharType) {
      return "STRING";
    }
    if (type instanceof LongType
        || type instanceof IntegerType
        || type instanceof ShortType
        || type instanceof ByteType) {
      return "INT64";
    }
    if (type instanceof DoubleType || type instanceof FloatType) {
      return "FLOAT64";
    }
    if (type instanceof BooleanType) {
      return "BOOL";
    }
    if (type instanceof DateType) {
      return "DATE";
    }
    if (type instanceof TimestampType) {
      return "TIMESTAMP";
    }
    if (type instanceof TimestampNTZType) {
      return "DATETIME";
    }
    if (type instanceof BinaryType) {
      return "BYTES";
    }
    if (type instanceof DecimalType d) {
      boolean fits = d.scale() <= 9 && d.precision() - d.scale() <= 29;
      return (fits ? "NUMERIC" : "BIGNUMERIC") + "(" + d.precision() + ", " + d.scale() + ")";
    }
    if (type instanceof ArrayType a) {
      if (a.elementType() instanceof ArrayType) {
        // BigQuery has no arrays of arrays: wrap the inner one in a struct
        return "ARRAY<STRUCT<element " + sqlType(a.elementType()) + ">>";
      }
      return "ARRAY<" + sqlType(a.elementType()) + ">";
    }
    if (type instanceof StructType s) {
      List<String> fields = new ArrayList<>();
      for (StructField f : s.fields()) {
        fields.add(BqNames.quote(f.name()) + " " + sqlType(f.dataType()));
      }
      return "STRUCT<" + String.join(", ", fields) + ">";
    }
    if (type instanceof MapType) {
      return "JSON";
    }
    if (type instanceof DayTimeIntervalType
        || type instanceof YearMonthIntervalType
        || type instanceof CalendarIntervalType) {
      return "INTERVAL";
    }
    if (type instanceof NullType) {
      return "STRING";
    }
    throw new IllegalArgumentException("no BigQuery type for Spark type " + type.simpleString());
  }
}
