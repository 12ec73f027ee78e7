package io.synclog.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Small builders for datasets with explicit schemas, and readable row dumps for assertions. */
public final class Rows {
  private Rows() {}

  public static Row row(Object... values) {
    return RowFactory.create(values);
  }

  public static Dataset<Row> frame(StructType schema, Row... rows) {
    return SparkExtension.spark().createDataFrame(Arrays.asList(rows), schema);
  }

  public static Dataset<Row> frame(StructType schema, List<Row> rows) {
    return SparkExtension.spark().createDataFrame(rows, schema);
  }

  /** The rows of the given columns as "a|b|c" strings, sorted: easy to compare and to print. */
  public static List<String> lines(Dataset<Row> rows, String... columns) {
    Dataset<Row> selected = columns.length == 0 ? rows : rows.selectExpr(columns);
    List<String> out = new ArrayList<>();
    for (Row r : selected.collectAsList()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        cells.add(r.isNullAt(i) ? "null" : String.valueOf(r.get(i)));
      }
      out.add(String.join("|", cells));
    }
    return out.stream().sorted().collect(Collectors.toList());
  }
}
