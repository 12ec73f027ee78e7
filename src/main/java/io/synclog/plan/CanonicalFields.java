package io.synclog.plan;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.AtomicType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Builds the SQL expression that turns a model row into its canonical JSON object, the value of
 * {@code fields}. Two rows have the same canonical JSON exactly when every column holds the same
 * value, whatever the column order:
 *
 * <ul>
 *   <li>keys of objects (top-level columns and nested structs) are sorted by name;
 *   <li>map entries are sorted by key, so two maps with the same entries compare equal;
 *   <li>nulls are written as {@code null}, never dropped;
 *   <li>timestamps keep their microseconds and are written in UTC; decimals keep their scale;
 *   <li>{@code -0.0} is written as {@code 0.0}, as Spark's own equality treats them.
 * </ul>
 */
public final class CanonicalFields {
  private CanonicalFields() {}

  /** Options for {@code to_json}: keep nulls, full timestamp precision, UTC. */
  public static final Map<String, String> JSON_OPTIONS =
      Map.of(
          "ignoreNullFields", "false",
          "timeZone", "UTC",
          "timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
          "timestampNTZFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS",
          "dateFormat", "yyyy-MM-dd");

  /** A {@code named_struct(...)} expression over all columns of {@code schema}, canonicalised. */
  public static String structExpression(StructType schema) {
    return structExpression(schema, "");
  }

  /**
   * The same, each column read as {@code prefix} followed by its quoted name (a prefix such as
   * {@code "`m`."} reads the columns of a struct).
   */
  public static String structExpression(StructType schema, String prefix) {
    return namedStruct(schema.fields(), prefix, 0);
  }

  /** The canonical form of one value of {@code type}, read by the SQL expression {@code expr}. */
  static String canonicalValue(String expr, DataType type) {
    return canonical(expr, type, 0);
  }

  private static String namedStruct(StructField[] fields, String prefix, int depth) {
    return Arrays.stream(fields)
        .sorted(Comparator.comparing(StructField::name))
        .map(
            f ->
                literal(f.name()) + ", " + canonical(prefix + quote(f.name()), f.dataType(), depth))
        .collect(Collectors.joining(", ", "named_struct(", ")"));
  }

  private static String canonical(String expr, DataType type, int depth) {
    if (type instanceof StructType struct) {
      if (struct.fields().length == 0) {
        return expr;
      }
      String body = namedStruct(struct.fields(), expr + ".", depth);
      return "CASE WHEN " + expr + " IS NULL THEN NULL ELSE " + body + " END";
    }
    if (type instanceof ArrayType array && needsWork(array.elementType())) {
      String x = "x" + depth;
      return "transform("
          + expr
          + ", "
          + x
          + " -> "
          + canonical(x, array.elementType(), depth + 1)
          + ")";
    }
    if (type instanceof MapType map) {
      String values = expr;
      if (needsWork(map.valueType())) {
        String k = "k" + depth;
        String v = "v" + depth;
        values =
            "transform_values("
                + expr
                + ", ("
                + k
                + ", "
                + v
                + ") -> "
                + canonical(v, map.valueType(), depth + 1)
                + ")";
      }
      if (!(map.keyType() instanceof AtomicType)) {
        return values;
      }
      String l = "l" + depth;
      String r = "r" + depth;
      return "map_from_entries(array_sort(map_entries("
          + values
          + "), ("
          + l
          + ", "
          + r
          + ") -> CASE WHEN "
          + l
          + ".key < "
          + r
          + ".key THEN -1 WHEN "
          + l
          + ".key > "
          + r
          + ".key THEN 1 ELSE 0 END))";
    }
    if (type instanceof DoubleType || type instanceof FloatType) {
      return "CASE WHEN " + expr + " = 0 THEN abs(" + expr + ") ELSE " + expr + " END";
    }
    return expr;
  }

  private static boolean needsWork(DataType type) {
    return type instanceof StructType
        || type instanceof MapType
        || type instanceof DoubleType
        || type instanceof FloatType
        || (type instanceof ArrayType a && needsWork(a.elementType()));
  }

  /** Quotes an identifier for Spark SQL. */
  public static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String literal(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
