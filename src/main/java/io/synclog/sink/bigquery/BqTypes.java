package io.synclog.sink.bigquery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** The types that take no parameters: each Spark type class and its GoogleSQL type. */
  private static final Map<Class<? extends DataType>, String> FLAT = new LinkedHashMap<>();

  static {
    for (Class<? extends DataType> text :
        List.of(StringType.class, VarcharType.class, CharType.class, NullType.class)) {
      FLAT.put(text, "STRING");
    }
    for (Class<? extends DataType> integral :
        List.of(LongType.class, IntegerType.class, ShortType.class, ByteType.class)) {
      FLAT.put(integral, "INT64");
    }
    FLAT.put(DoubleType.class, "FLOAT64");
    FLAT.put(FloatType.class, "FLOAT64");
    FLAT.put(BooleanType.class, "BOOL");
    FLAT.put(DateType.class, "DATE");
    FLAT.put(TimestampType.class, "TIMESTAMP");
    FLAT.put(TimestampNTZType.class, "DATETIME");
    FLAT.put(BinaryType.class, "BYTES");
    // BigQuery has no map type
    FLAT.put(MapType.class, "JSON");
    FLAT.put(DayTimeIntervalType.class, "INTERVAL");
    FLAT.put(YearMonthIntervalType.class, "INTERVAL");
    FLAT.put(CalendarIntervalType.class, "INTERVAL");
  }

  static String sqlType(DataType type) {
    for (Map.Entry<Class<? extends DataType>, String> flat : FLAT.entrySet()) {
      if (flat.getKey().isInstance(type)) {
        return flat.getValue();
      }
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
    throw new IllegalArgumentException("no BigQuery type for Spark type " + type.simpleString());
  }
}
