package io.synclog.plan;

import static io.synclog.testing.Rows.row;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link FieldsHash} against the canonical JSON it stands in for: rows with the same {@code fields}
 * hash alike, rows with different {@code fields} hash apart, type by type and across retypes.
 */
@ExtendWith(SparkExtension.class)
class FieldsHashTest {

  /** One row's JSON and hash. */
  record Hashed(String json, long hash) {}

  private static List<Hashed> hashed(StructType schema, List<Row> rows) {
    Dataset<Row> prepared =
        ModelRows.withFieldsJson(
            ModelRows.prepare(Rows.frame(schema, rows), "id", ModelRows.Splits.none()));
    return prepared.select(Columns.FIELDS, Columns.FIELDS_HASH).collectAsList().stream()
        .map(r -> new Hashed(r.getString(0), r.getLong(1)))
        .toList();
  }

  private static Hashed one(StructType schema, Row row) {
    return hashed(schema, List.of(row)).get(0);
  }

  /**
   * Every pair of rows: the hashes are equal exactly when the JSON is. Prints each disagreeing pair
   * as expected vs actual.
   */
  private static void assertAgreesWithJson(StructType schema, List<Row> rows) {
    List<Hashed> h = hashed(schema, rows);
    List<String> expected = new ArrayList<>();
    List<String> actual = new ArrayList<>();
    for (int i = 0; i < h.size(); i++) {
      for (int j = i + 1; j < h.size(); j++) {
        String pair = h.get(i).json() + " vs " + h.get(j).json() + ": hashes ";
        expected.add(pair + (h.get(i).json().equals(h.get(j).json()) ? "equal" : "differ"));
        actual.add(pair + (h.get(i).hash() == h.get(j).hash() ? "equal" : "differ"));
      }
    }
    assertThat(actual).as("every pair of rows").containsExactlyElementsOf(expected);
  }

  private static final StructType ATOMIC =
      new StructType()
          .add("id", DataTypes.IntegerType)
          .add("s", DataTypes.StringType)
          .add("t", DataTypes.StringType)
          .add("n", DataTypes.LongType)
          .add("d", DataTypes.DoubleType)
          .add("f", DataTypes.FloatType)
          .add("dec", DataTypes.createDecimalType(12, 2))
          .add("b", DataTypes.BooleanType)
          .add("bin", DataTypes.BinaryType)
          .add("day", DataTypes.DateType)
          .add("ts", DataTypes.TimestampType)
          .add("ntz", DataTypes.TimestampNTZType);

  @Test
  void atomicValuesHashAlikeExactlyWhenTheirJsonIsAlike() {
    Timestamp ts = Timestamp.valueOf("2024-01-01 10:00:00.000001");
    LocalDateTime ntz = LocalDateTime.parse("2024-01-01T10:00:00");
    Date day = Date.valueOf("2024-02-29");
    BigDecimal dec = new BigDecimal("1.50");
    byte[] bin = {1, 2, 3};
    List<Row> rows =
        List.of(
            row(1, "x", "y", 5L, 1.5d, 2.5f, dec, true, bin, day, ts, ntz),
            row(1, "x", "y", 5L, 1.5d, 2.5f, dec, true, new byte[] {1, 2, 3}, day, ts, ntz),
            // Nulls in different places, and strings that concatenate alike.
            row(1, null, "x", 5L, 1.5d, 2.5f, dec, true, bin, day, ts, ntz),
            row(1, "x", null, 5L, 1.5d, 2.5f, dec, true, bin, day, ts, ntz),
            row(1, "xy", "", 5L, 1.5d, 2.5f, dec, true, bin, day, ts, ntz),
            row(1, "x", "y", null, null, null, null, null, null, null, null, null),
            // One value changed at a time.
            row(1, "x", "y", 6L, 1.5d, 2.5f, dec, true, bin, day, ts, ntz),
            row(1, "x", "y", 5L, 1.25d, 2.5f, dec, true, bin, day, ts, ntz),
            row(1, "x", "y", 5L, 1.5d, 2.25f, dec, true, bin, day, ts, ntz),
            row(1, "x", "y", 5L, 1.5d, 2.5f, new BigDecimal("1.51"), true, bin, day, ts, ntz),
            row(1, "x", "y", 5L, 1.5d, 2.5f, dec, false, bin, day, ts, ntz),
            row(1, "x", "y", 5L, 1.5d, 2.5f, dec, true, new byte[] {1, 2}, day, ts, ntz),
            row(1, "x", "y", 5L, 1.5d, 2.5f, dec, true, bin, Date.valueOf("2024-03-01"), ts, ntz),
            row(
                1,
                "x",
                "y",
                5L,
                1.5d,
                2.5f,
                dec,
                true,
                bin,
                day,
                Timestamp.valueOf("2024-01-01 10:00:00.000002"),
                ntz),
            row(1, "x", "y", 5L, 1.5d, 2.5f, dec, true, bin, day, ts, ntz.plusNanos(1000)),
            // -0.0 is written (and hashed) as 0.0; every NaN alike; infinities apart.
            row(1, "x", "y", 5L, 0.0d, 0.0f, dec, true, bin, day, ts, ntz),
            row(1, "x", "y", 5L, -0.0d, -0.0f, dec, true, bin, day, ts, ntz),
            row(1, "x", "y", 5L, Double.NaN, Float.NaN, dec, true, bin, day, ts, ntz),
            row(
                1,
                "x",
                "y",
                5L,
                Double.longBitsToDouble(0x7ff8000000000001L),
                Float.intBitsToFloat(0x7fc00001),
                dec,
                true,
                bin,
                day,
                ts,
                ntz),
            row(
                1,
                "x",
                "y",
                5L,
                Double.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY,
                dec,
                true,
                bin,
                day,
                ts,
                ntz));
    assertAgreesWithJson(ATOMIC, rows);
  }

  @Test
  void nestedValuesHashTheirCanonicalJson() {
    StructType inner = new StructType().add("a", DataTypes.IntegerType).add("b", "string");
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType)
            .add("arr", DataTypes.createArrayType(DataTypes.StringType))
            .add("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType))
            .add("st", inner);
    Map<String, Integer> xy = new LinkedHashMap<>();
    xy.put("x", 1);
    xy.put("y", 2);
    Map<String, Integer> yx = new LinkedHashMap<>();
    yx.put("y", 2);
    yx.put("x", 1);
    List<Row> rows = new ArrayList<>();
    rows.add(row(1, List.of("p", "q"), xy, row(1, "z")));
    rows.add(row(1, List.of("p", "q"), yx, row(1, "z"))); // map entry order does not matter
    rows.add(row(1, List.of("q", "p"), xy, row(1, "z"))); // array order does
    rows.add(row(1, java.util.Arrays.asList(null, "p"), xy, row(1, "z")));
    rows.add(row(1, java.util.Arrays.asList("p", null), xy, row(1, "z")));
    rows.add(row(1, List.of(), xy, row(1, "z")));
    rows.add(row(1, null, xy, row(1, "z")));
    rows.add(row(1, List.of("p", "q"), Map.of(), row(1, "z")));
    rows.add(row(1, List.of("p", "q"), null, row(1, "z")));
    rows.add(row(1, List.of("p", "q"), xy, row(null, "z")));
    rows.add(row(1, List.of("p", "q"), xy, row(1, null)));
    rows.add(row(1, List.of("p", "q"), xy, row(null, null)));
    rows.add(row(1, List.of("p", "q"), xy, null));
    assertAgreesWithJson(schema, rows);
  }

  private static StructType idAnd(DataType type) {
    return new StructType().add("id", DataTypes.IntegerType).add("v", type);
  }

  @Test
  void retypesThatKeepEveryValueKeepTheHash() {
    assertThat(one(idAnd(DataTypes.LongType), row(1, 7L)))
        .as("int -> bigint")
        .isEqualTo(one(idAnd(DataTypes.IntegerType), row(1, 7)));
    assertThat(one(idAnd(DataTypes.ShortType), row(1, (short) 7)))
        .as("smallint -> int")
        .isEqualTo(one(idAnd(DataTypes.IntegerType), row(1, 7)));
    assertThat(one(idAnd(DataTypes.createDecimalType(30, 2)), row(1, new BigDecimal("1.50"))))
        .as("decimal(10,2) -> decimal(30,2)")
        .isEqualTo(one(idAnd(DataTypes.createDecimalType(10, 2)), row(1, new BigDecimal("1.50"))));
  }

  @Test
  void retypesThatChangeHowValuesAreWrittenChangeTheHash() {
    Hashed ts =
        one(idAnd(DataTypes.TimestampType), row(1, Timestamp.valueOf("2024-01-01 00:00:00")));
    Hashed ntz =
        one(idAnd(DataTypes.TimestampNTZType), row(1, LocalDateTime.parse("2024-01-01T00:00:00")));
    assertThat(ntz.json()).as("the JSON differs").isNotEqualTo(ts.json());
    assertThat(ntz.hash()).as("timestamp -> timestamp_ntz").isNotEqualTo(ts.hash());
    Hashed asInt = one(idAnd(DataTypes.IntegerType), row(1, 7));
    Hashed asString = one(idAnd(DataTypes.StringType), row(1, "7"));
    assertThat(asString.json()).isNotEqualTo(asInt.json());
    assertThat(asString.hash()).as("int -> string").isNotEqualTo(asInt.hash());
    // The one direction where the hash is stricter than the JSON: a date and its ISO text
    // are written alike, but a retype between them plans every row once.
    Hashed date = one(idAnd(DataTypes.DateType), row(1, Date.valueOf("2024-01-01")));
    Hashed text = one(idAnd(DataTypes.StringType), row(1, "2024-01-01"));
    assertThat(text.json()).isEqualTo(date.json());
    assertThat(text.hash()).as("date -> string").isNotEqualTo(date.hash());
    Hashed scale1 = one(idAnd(DataTypes.createDecimalType(10, 1)), row(1, new BigDecimal("1.5")));
    Hashed scale2 = one(idAnd(DataTypes.createDecimalType(10, 2)), row(1, new BigDecimal("1.50")));
    assertThat(scale2.json()).isNotEqualTo(scale1.json());
    assertThat(scale2.hash()).as("decimal scale").isNotEqualTo(scale1.hash());
  }

  @Test
  void addedRenamedAndReorderedColumns() {
    StructType ab = new StructType().add("id", "int").add("a", "string").add("b", "string");
    StructType ba = new StructType().add("b", "string").add("id", "int").add("a", "string");
    StructType ac = new StructType().add("id", "int").add("a", "string").add("c", "string");
    StructType abc = ab.add("c", "string");
    Hashed base = one(ab, row(1, "x", "y"));
    assertThat(one(ba, row("y", 1, "x"))).as("column order").isEqualTo(base);
    assertThat(one(ac, row(1, "x", "y")).hash()).as("b renamed c").isNotEqualTo(base.hash());
    assertThat(one(abc, row(1, "x", "y", null)).hash())
        .as("column added, null")
        .isNotEqualTo(base.hash());
  }

  @Test
  void theFormerJsonHashIsRecognisedAndTheNewOneIsNot() {
    Dataset<Row> rows =
        ModelRows.withFieldsJson(
            ModelRows.prepare(
                Rows.frame(
                    ATOMIC, row(1, "x", "y", 5L, 1.5d, 2.5f, null, true, null, null, null, null)),
                "id",
                ModelRows.Splits.none()));
    Row r =
        rows.select(col(Columns.FIELDS), xxhash64(col(Columns.FIELDS)), col(Columns.FIELDS_HASH))
            .first();
    assertThat(FieldsHash.isJsonHash(r.getString(0), r.getLong(1)))
        .as("xxhash64(fields) of " + r.getString(0))
        .isTrue();
    assertThat(FieldsHash.isJsonHash(r.getString(0), r.getLong(2))).as("fields_hash").isFalse();
  }
}
