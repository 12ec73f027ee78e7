package io.synclog.plan;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.FIELDS_HASH;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.testing.Rows.row;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.to_json;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactness of the canonical {@code fields} JSON, type by type: two rows get the same fields
 * exactly when they hold the same values, whatever the column, struct-field or map-entry order.
 */
@ExtendWith(SparkExtension.class)
class CanonicalFieldsTest {

  /** Prepared rows with their fields as JSON, as the plan carries them. */
  private static Dataset<Row> prepare(Dataset<Row> model, String pk, ModelRows.Splits splits) {
    return ModelRows.withFieldsJson(ModelRows.prepare(model, pk, splits));
  }

  /** The fields of each row, in order, as {@link ModelRows#prepare} computes them. */
  private static List<String> fields(StructType schema, Row... rows) {
    return prepare(Rows.frame(schema, rows), "id", ModelRows.Splits.none())
        .select(FIELDS)
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .toList();
  }

  private static String field(StructType schema, Row row) {
    return fields(schema, row).get(0);
  }

  private static StructType idAnd(String name, DataType type) {
    return new StructType().add("id", DataTypes.IntegerType).add(name, type);
  }

  @Test
  void intAndLongHoldingTheSameValueHaveTheSameFields() {
    String asInt = field(idAnd("n", DataTypes.IntegerType), row(1, 5));
    String asLong =
        field(
            new StructType().add("id", DataTypes.LongType).add("n", DataTypes.LongType),
            row(1L, 5L));
    assertThat(asLong).isEqualTo(asInt).isEqualTo("{\"id\":1,\"n\":5}");
  }

  @Test
  void decimalsKeepTheirScale() {
    String scale2 =
        field(idAnd("d", DataTypes.createDecimalType(10, 2)), row(1, new BigDecimal("1.50")));
    String scale1 =
        field(idAnd("d", DataTypes.createDecimalType(10, 1)), row(1, new BigDecimal("1.5")));
    assertThat(scale2).isEqualTo("{\"d\":1.50,\"id\":1}");
    assertThat(scale1).isEqualTo("{\"d\":1.5,\"id\":1}");
    List<String> wide =
        fields(
            idAnd("d", DataTypes.createDecimalType(38, 18)),
            row(1, new BigDecimal("12345678901234567890.123456789012345678")),
            row(1, new BigDecimal("12345678901234567890.123456789012345679")));
    assertThat(wide.get(0)).contains("12345678901234567890.123456789012345678");
    assertThat(wide.get(1)).as("last digit of a 38-digit decimal").isNotEqualTo(wide.get(0));
  }

  @Test
  void timestampsOneMicrosecondApartDiffer() {
    Instant t = Instant.parse("2024-01-01T10:00:00Z");
    List<String> f =
        fields(
            idAnd("t", DataTypes.TimestampType),
            row(1, Timestamp.from(t)),
            row(1, Timestamp.from(t.plusNanos(1_000))),
            row(1, Timestamp.from(t)));
    assertThat(f.get(0)).isEqualTo("{\"id\":1,\"t\":\"2024-01-01T10:00:00.000000Z\"}");
    assertThat(f.get(1)).isEqualTo("{\"id\":1,\"t\":\"2024-01-01T10:00:00.000001Z\"}");
    assertThat(f.get(2)).isEqualTo(f.get(0));
  }

  @Test
  void timestampsAreWrittenInUtcWhateverTheSessionTimeZone() {
    SparkSession spark = SparkExtension.spark();
    String before = spark.conf().get("spark.sql.session.timeZone");
    Row r = row(1, Timestamp.from(Instant.parse("2024-06-30T23:30:00.123456Z")));
    String inNewYork;
    try {
      spark.conf().set("spark.sql.session.timeZone", "America/New_York");
      inNewYork = field(idAnd("t", DataTypes.TimestampType), r);
    } finally {
      spark.conf().set("spark.sql.session.timeZone", before);
    }
    assertThat(inNewYork).isEqualTo("{\"id\":1,\"t\":\"2024-06-30T23:30:00.123456Z\"}");
    assertThat(field(idAnd("t", DataTypes.TimestampType), r)).isEqualTo(inNewYork);
  }

  @Test
  void timestampsWithoutTimeZoneKeepMicroseconds() {
    List<String> f =
        fields(
            idAnd("t", DataTypes.TimestampNTZType),
            row(1, LocalDateTime.parse("2024-01-01T10:00:00.000001")),
            row(1, LocalDateTime.parse("2024-01-01T10:00:00")));
    assertThat(f)
        .containsExactly(
            "{\"id\":1,\"t\":\"2024-01-01T10:00:00.000001\"}",
            "{\"id\":1,\"t\":\"2024-01-01T10:00:00.000000\"}");
  }

  @Test
  void datesAreIsoAndCompared() {
    List<String> f =
        fields(
            idAnd("d", DataTypes.DateType),
            row(1, Date.valueOf("2024-02-29")),
            row(1, Date.valueOf("2024-03-01")),
            row(1, null));
    assertThat(f)
        .containsExactly(
            "{\"d\":\"2024-02-29\",\"id\":1}",
            "{\"d\":\"2024-03-01\",\"id\":1}",
            "{\"d\":null,\"id\":1}");
  }

  @Test
  void aNullNestedFieldDiffersFromAMissingOne() {
    StructType ab =
        new StructType().add("a", DataTypes.IntegerType).add("b", DataTypes.IntegerType);
    StructType onlyA = new StructType().add("a", DataTypes.IntegerType);
    String withNullB = field(idAnd("s", ab), row(1, row(1, null)));
    String withoutB = field(idAnd("s", onlyA), row(1, row(1)));
    assertThat(withNullB).isEqualTo("{\"id\":1,\"s\":{\"a\":1,\"b\":null}}");
    assertThat(withoutB).isEqualTo("{\"id\":1,\"s\":{\"a\":1}}");
  }

  @Test
  void aNullColumnDiffersFromAMissingColumn() {
    String withNull = field(idAnd("x", DataTypes.StringType), row(1, null));
    String without = field(new StructType().add("id", DataTypes.IntegerType), row(1));
    assertThat(withNull).isEqualTo("{\"id\":1,\"x\":null}");
    assertThat(without).isEqualTo("{\"id\":1}");
  }

  @Test
  void aNullStructDiffersFromAStructOfNulls() {
    StructType ab = new StructType().add("a", DataTypes.IntegerType).add("b", DataTypes.StringType);
    List<String> f = fields(idAnd("s", ab), row(1, null), row(1, row(null, null)));
    assertThat(f)
        .containsExactly("{\"id\":1,\"s\":null}", "{\"id\":1,\"s\":{\"a\":null,\"b\":null}}");
  }

  @Test
  void structFieldOrderDoesNotMatterAtAnyDepth() {
    StructType inner1 =
        new StructType().add("y", DataTypes.IntegerType).add("x", DataTypes.StringType);
    StructType inner2 =
        new StructType().add("x", DataTypes.StringType).add("y", DataTypes.IntegerType);
    StructType outer1 =
        new StructType().add("b", DataTypes.createArrayType(inner1)).add("a", inner1);
    StructType outer2 =
        new StructType().add("a", inner2).add("b", DataTypes.createArrayType(inner2));
    String one = field(idAnd("s", outer1), row(1, row(List.of(row(2, "q")), row(1, "p"))));
    String two = field(idAnd("s", outer2), row(1, row(row("p", 1), List.of(row("q", 2)))));
    assertThat(two)
        .isEqualTo(one)
        .isEqualTo("{\"id\":1,\"s\":{\"a\":{\"x\":\"p\",\"y\":1},\"b\":[{\"x\":\"q\",\"y\":2}]}}");
  }

  @Test
  void mapEntryOrderDoesNotMatter() {
    StructType schema =
        idAnd("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType));
    Map<String, Integer> xy = new LinkedHashMap<>();
    xy.put("x", 1);
    xy.put("y", 2);
    Map<String, Integer> yx = new LinkedHashMap<>();
    yx.put("y", 2);
    yx.put("x", 1);
    Dataset<Row> frame = Rows.frame(schema, row(1, xy), row(1, yx));
    // Precondition: Spark itself keeps the two maps' entries in different orders.
    List<String> raw =
        frame.select(to_json(col("m"))).collectAsList().stream().map(r -> r.getString(0)).toList();
    assertThat(raw).containsExactly("{\"x\":1,\"y\":2}", "{\"y\":2,\"x\":1}");

    List<String> f = fields(schema, row(1, xy), row(1, yx));
    assertThat(f.get(1)).isEqualTo(f.get(0)).isEqualTo("{\"id\":1,\"m\":{\"x\":1,\"y\":2}}");
  }

  @Test
  void mapsWithIntegerKeysAreSortedByValueNotText() {
    StructType schema =
        idAnd("m", DataTypes.createMapType(DataTypes.IntegerType, DataTypes.StringType));
    Map<Integer, String> m = new LinkedHashMap<>();
    m.put(10, "ten");
    m.put(9, "nine");
    assertThat(field(schema, row(1, m)))
        .isEqualTo("{\"id\":1,\"m\":{\"9\":\"nine\",\"10\":\"ten\"}}");
  }

  @Test
  void mapsWithDifferentEntriesDiffer() {
    StructType schema =
        idAnd("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType));
    Map<String, Integer> withNull = new LinkedHashMap<>();
    withNull.put("a", 1);
    withNull.put("b", null);
    List<String> f =
        fields(
            schema,
            row(1, Map.of("a", 1)),
            row(1, Map.of("a", 2)),
            row(1, withNull),
            row(1, Map.of()),
            row(1, null));
    assertThat(f).doesNotHaveDuplicates();
  }

  @Test
  void mapValuesAreCanonicalisedToo() {
    StructType v1 = new StructType().add("p", DataTypes.DoubleType).add("o", DataTypes.StringType);
    StructType v2 = new StructType().add("o", DataTypes.StringType).add("p", DataTypes.DoubleType);
    String one =
        field(
            idAnd("m", DataTypes.createMapType(DataTypes.StringType, v1)),
            row(1, Map.of("k", row(-0.0d, "z"))));
    String two =
        field(
            idAnd("m", DataTypes.createMapType(DataTypes.StringType, v2)),
            row(1, Map.of("k", row("z", 0.0d))));
    assertThat(two).isEqualTo(one).isEqualTo("{\"id\":1,\"m\":{\"k\":{\"o\":\"z\",\"p\":0.0}}}");
  }

  @Test
  void arrayOrderMattersAndEmptyNullAndNullElementsDiffer() {
    StructType schema = idAnd("a", DataTypes.createArrayType(DataTypes.IntegerType));
    List<String> f =
        fields(
            schema,
            row(1, List.of(1, 2)),
            row(1, List.of(2, 1)),
            row(1, List.of()),
            row(1, null),
            row(1, Arrays.asList((Integer) null)),
            row(1, List.of(1, 2)));
    assertThat(f.subList(0, 5)).doesNotHaveDuplicates();
    assertThat(f.get(5)).isEqualTo(f.get(0)).isEqualTo("{\"a\":[1,2],\"id\":1}");
    assertThat(f.get(4)).isEqualTo("{\"a\":[null],\"id\":1}");
  }

  @Test
  void negativeZeroEqualsZeroForDoublesAndFloatsAnywhere() {
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType)
            .add("d", DataTypes.DoubleType)
            .add("f", DataTypes.FloatType)
            .add("ds", DataTypes.createArrayType(DataTypes.DoubleType));
    List<String> f =
        fields(
            schema,
            row(1, -0.0d, -0.0f, List.of(-0.0d, 1.0d)),
            row(1, 0.0d, 0.0f, List.of(0.0d, 1.0d)),
            row(1, -1.0d, -1.0f, List.of(-1.0d)));
    assertThat(f.get(0))
        .isEqualTo(f.get(1))
        .isEqualTo("{\"d\":0.0,\"ds\":[0.0,1.0],\"f\":0.0,\"id\":1}");
    assertThat(f.get(2)).as("negative values keep their sign").contains("\"d\":-1.0");
  }

  @Test
  void nanEqualsNanButNotNullOrInfinity() {
    List<String> f =
        fields(
            idAnd("d", DataTypes.DoubleType),
            row(1, Double.NaN),
            row(1, Double.NaN),
            row(1, null),
            row(1, Double.POSITIVE_INFINITY),
            row(1, Double.NEGATIVE_INFINITY));
    assertThat(f.get(1)).isEqualTo(f.get(0));
    assertThat(f.subList(1, 5)).doesNotHaveDuplicates();
  }

  @Test
  void binaryIsComparedByContent() {
    List<String> f =
        fields(
            idAnd("b", DataTypes.BinaryType),
            row(1, new byte[] {1, 2, 3}),
            row(1, new byte[] {1, 2, 3}),
            row(1, new byte[] {1, 2, 4}),
            row(1, new byte[] {}),
            row(1, null));
    assertThat(f.get(1)).isEqualTo(f.get(0));
    assertThat(f.subList(1, 5)).doesNotHaveDuplicates();
  }

  @Test
  void stringsWithUnicodeQuotesAndEscapesRoundTrip() {
    List<String> values =
        List.of(
            "plain",
            "caf\u00e9 \u4e2d\u6587 \ud83d\ude00",
            "say \"hi\"",
            "back\\slash",
            "say \\\"hi\\\"",
            "line\nbreak\ttab",
            "it's",
            "",
            "null");
    Row[] rows = values.stream().map(v -> row(1, v)).toArray(Row[]::new);
    StructType schema = idAnd("s", DataTypes.StringType);
    Dataset<Row> prepared = prepare(Rows.frame(schema, rows), "id", ModelRows.Splits.none());
    List<Row> back =
        prepared.select(col(FIELDS), from_json(col(FIELDS), schema).getField("s")).collectAsList();
    assertThat(back.stream().map(r -> r.getString(1)).toList())
        .as("strings read back from fields")
        .containsExactlyElementsOf(values);
    assertThat(back.stream().map(r -> r.getString(0)).toList()).doesNotHaveDuplicates();
    assertThat(field(schema, row(1, null))).isEqualTo("{\"id\":1,\"s\":null}");
  }

  @Test
  void columnOrderOfTheModelDoesNotChangeFields() {
    StructType one =
        new StructType()
            .add("id", DataTypes.LongType)
            .add("name", DataTypes.StringType)
            .add("score", DataTypes.DoubleType)
            .add("tags", DataTypes.createArrayType(DataTypes.StringType));
    StructType two =
        new StructType()
            .add("tags", DataTypes.createArrayType(DataTypes.StringType))
            .add("score", DataTypes.DoubleType)
            .add("id", DataTypes.LongType)
            .add("name", DataTypes.StringType);
    Dataset<Row> a =
        prepare(Rows.frame(one, row(7L, "Ann", 1.5d, List.of("x"))), "id", ModelRows.Splits.none());
    Dataset<Row> b =
        prepare(Rows.frame(two, row(List.of("x"), 1.5d, 7L, "Ann")), "id", ModelRows.Splits.none());
    List<String> la = Rows.lines(a, ROW_ID, FIELDS, FIELDS_HASH);
    assertThat(Rows.lines(b, ROW_ID, FIELDS, FIELDS_HASH)).isEqualTo(la);
    assertThat(la.get(0))
        .startsWith("7|{\"id\":7,\"name\":\"Ann\",\"score\":1.5,\"tags\":[\"x\"]}|");
  }

  @Test
  void oddColumnNamesAreQuotedAndKeptAsKeys() {
    StructType nested = new StructType().add("in'ner", DataTypes.IntegerType);
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType)
            .add("it's", DataTypes.IntegerType)
            .add("a.b", DataTypes.IntegerType)
            .add("we`ird", DataTypes.IntegerType)
            .add("with space", nested);
    assertThat(field(schema, row(1, 2, 3, 4, row(5))))
        .isEqualTo("{\"a.b\":3,\"id\":1,\"it's\":2,\"we`ird\":4,\"with space\":{\"in'ner\":5}}");
  }

  @Test
  void sameFieldsSameHashDifferentFieldsDifferentHash() {
    StructType schema = idAnd("s", DataTypes.StringType);
    List<Row> out =
        prepare(
                Rows.frame(schema, row(1, "a"), row(1, "a"), row(1, "b")),
                "id",
                ModelRows.Splits.none())
            .select(FIELDS_HASH)
            .collectAsList();
    assertThat(out.get(1).getLong(0)).isEqualTo(out.get(0).getLong(0));
    assertThat(out.get(2).getLong(0)).isNotEqualTo(out.get(0).getLong(0));
  }

  @Test
  void rowIdIsTheStringFormOfThePrimaryKey() {
    StructType schema =
        new StructType()
            .add("n", DataTypes.StringType)
            .add("key", DataTypes.createDecimalType(12, 2));
    Dataset<Row> prepared =
        prepare(
            Rows.frame(schema, row("a", new BigDecimal("42.50")), row("b", null)),
            "key",
            ModelRows.Splits.none());
    assertThat(Rows.lines(prepared, ROW_ID, FIELDS))
        .containsExactly("42.50|{\"key\":42.50,\"n\":\"a\"}", "null|{\"key\":null,\"n\":\"b\"}");
  }

  @Test
  void splitGroupsComeFromTheColumnOrAStableHashOfRowId() {
    StructType schema =
        new StructType().add("id", DataTypes.IntegerType).add("grp", DataTypes.StringType);
    Dataset<Row> fromColumn =
        prepare(
            Rows.frame(schema, row(1, "control"), row(2, null)),
            "id",
            new ModelRows.Splits(Optional.of("grp"), Map.of()));
    assertThat(Rows.lines(fromColumn, ROW_ID, SPLIT_GROUP)).containsExactly("1|control", "2|null");

    Map<String, Integer> groups = new LinkedHashMap<>();
    groups.put("control", 10);
    groups.put("treatment", 90);
    ModelRows.Splits hashed = new ModelRows.Splits(Optional.empty(), groups);
    Row[] rows = new Row[200];
    Row[] changed = new Row[200];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = row(i, "x");
      changed[i] = row(i, "y");
    }
    List<String> first =
        Rows.lines(prepare(Rows.frame(schema, rows), "id", hashed), ROW_ID, SPLIT_GROUP);
    List<String> second =
        Rows.lines(prepare(Rows.frame(schema, changed), "id", hashed), ROW_ID, SPLIT_GROUP);
    assertThat(second).as("membership depends on row_id only").isEqualTo(first);
    long control = first.stream().filter(l -> l.endsWith("|control")).count();
    long treatment = first.stream().filter(l -> l.endsWith("|treatment")).count();
    assertThat(control + treatment).as("every row is in a group").isEqualTo(200);
    assertThat(control).as("about 10%% of 200 rows").isBetween(5L, 40L);
  }
}
