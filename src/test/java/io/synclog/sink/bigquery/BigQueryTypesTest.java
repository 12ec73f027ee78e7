package io.synclog.sink.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.CharType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DayTimeIntervalType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.VarcharType;
import org.apache.spark.sql.types.YearMonthIntervalType;
import org.junit.jupiter.api.Test;

/** Every Spark type a model or a log table can hold, as the GoogleSQL type synclog declares. */
class BigQueryTypesTest {
  @Test
  void mapsEverySparkType() {
    Map<DataType, String> cases = new LinkedHashMap<>();
    cases.put(DataTypes.StringType, "STRING");
    cases.put(VarcharType.apply(10), "STRING");
    cases.put(CharType.apply(3), "STRING");
    cases.put(DataTypes.ByteType, "INT64");
    cases.put(DataTypes.ShortType, "INT64");
    cases.put(DataTypes.IntegerType, "INT64");
    cases.put(DataTypes.LongType, "INT64");
    cases.put(DataTypes.FloatType, "FLOAT64");
    cases.put(DataTypes.DoubleType, "FLOAT64");
    cases.put(DataTypes.BooleanType, "BOOL");
    cases.put(DataTypes.DateType, "DATE");
    cases.put(DataTypes.TimestampType, "TIMESTAMP");
    cases.put(DataTypes.TimestampNTZType, "DATETIME");
    cases.put(DataTypes.BinaryType, "BYTES");
    cases.put(DataTypes.createDecimalType(10, 2), "NUMERIC(10, 2)");
    cases.put(DataTypes.createDecimalType(38, 9), "NUMERIC(38, 9)");
    cases.put(DataTypes.createDecimalType(38, 10), "BIGNUMERIC(38, 10)");
    cases.put(DataTypes.createDecimalType(38, 0), "BIGNUMERIC(38, 0)");
    cases.put(DataTypes.createArrayType(DataTypes.LongType), "ARRAY<INT64>");
    cases.put(
        DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.StringType)),
        "ARRAY<STRUCT<element ARRAY<STRING>>>");
    cases.put(
        new StructType().add("a", DataTypes.IntegerType).add("b c", DataTypes.StringType),
        "STRUCT<`a` INT64, `b c` STRING>");
    cases.put(DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), "JSON");
    cases.put(DayTimeIntervalType.apply(), "INTERVAL");
    cases.put(YearMonthIntervalType.apply(), "INTERVAL");
    cases.put(DataTypes.CalendarIntervalType, "INTERVAL");
    cases.put(DataTypes.NullType, "STRING");

    List<String> wrong = new ArrayList<>();
    cases.forEach(
        (spark, expected) -> {
          String actual = BqTypes.sqlType(spark);
          if (!actual.equals(expected)) {
            wrong.add(spark.simpleString() + ": expected " + expected + ", actual " + actual);
          }
        });
    assertThat(wrong).as("mismatches").isEmpty();
  }
}
