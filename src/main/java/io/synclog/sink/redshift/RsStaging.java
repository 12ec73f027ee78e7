package io.synclog.sink.redshift;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One staging table holds everything a write needs, so that the connector loads it with one COPY
 * and swaps it in with one transaction: the rows of several tables, told apart by a {@code kind}
 * column, in the union of their columns (a column two tables share has the same type in both).
 */
final class RsStaging {
  private RsStaging() {}

  /** {@code kind}, then every column of the parts, in order of first appearance. */
  static StructType unionSchema(List<StructType> parts) {
    Map<String, DataType> columns = new LinkedHashMap<>();
    for (StructType part : parts) {
      for (StructField f : part.fields()) {
        DataType before = columns.putIfAbsent(f.name(), f.dataType());
        if (before != null && !before.equals(f.dataType())) {
          throw new IllegalStateException(
              "column " + f.name() + " is " + before + " and " + f.dataType());
        }
      }
    }
    StructType out = new StructType().add(RsDdl.KIND, DataTypes.StringType, false);
    for (Map.Entry<String, DataType> e : columns.entrySet()) {
      out = out.add(e.getKey(), e.getValue(), true);
    }
    return out;
  }

  /** The parts' rows, each tagged with its kind, in the union of their schemas. */
  static Dataset<Row> union(Map<String, Dataset<Row>> parts) {
    List<StructType> schemas = new ArrayList<>();
    parts.values().forEach(rows -> schemas.add(rows.schema()));
    return union(unionSchema(schemas), parts);
  }

  /** The parts' rows in the union schema, each tagged with its kind. */
  static Dataset<Row> union(StructType union, Map<String, Dataset<Row>> parts) {
    Dataset<Row> out = null;
    for (Map.Entry<String, Dataset<Row>> part : parts.entrySet()) {
      List<String> has = List.of(part.getValue().columns());
      List<Column> select = new ArrayList<>();
      for (StructField f : union.fields()) {
        if (f.name().equals(RsDdl.KIND)) {
          select.add(lit(part.getKey()).as(RsDdl.KIND));
        } else if (has.contains(f.name())) {
          select.add(col(f.name()).cast(f.dataType()).as(f.name()));
        } else {
          select.add(lit(null).cast(f.dataType()).as(f.name()));
        }
      }
      Dataset<Row> shaped = part.getValue().select(select.toArray(new Column[0]));
      out = out == null ? shaped : out.union(shaped);
    }
    return out;
  }
}
