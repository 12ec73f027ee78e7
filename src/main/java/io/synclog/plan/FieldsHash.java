package io.synclog.plan;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.unsafe.Platform;

/**
 * {@code fields_hash}: a 64-bit hash of a model row's values, computed from the typed columns
 * rather than from the {@code fields} JSON, so that the diff never writes the JSON of a row it does
 * not plan. It agrees with the canonical JSON in the direction that matters: two rows with the same
 * {@code fields} always have the same hash; rows whose {@code fields} differ have different hashes
 * but for a 2^-64 chance, or, after a column is retyped, whenever the new type writes values
 * differently.
 *
 * <ul>
 *   <li>Columns are hashed in name order, so column order never matters; the names and each
 *       column's kind seed the hash, so adding, dropping, renaming or retyping a column changes
 *       every row's hash, as it changes every row's {@code fields}.
 *   <li>A null is recorded in a null mask (Spark's {@code xxhash64} skips nulls, so {@code (null,
 *       'x')} and {@code ('x', null)} would otherwise collide).
 *   <li>Integers of every width hash as {@code bigint} and decimals by value and scale whatever
 *       their precision, so {@code int -> bigint} and widened decimals leave hashes as they were.
 *       Spark's {@code xxhash64} hashes {@code -0.0} as {@code 0.0} and every NaN alike, as the
 *       JSON writes them (FieldsHashTest pins it).
 *   <li>Structs, arrays and maps (whose own hashes would skip null elements) hash the canonical
 *       JSON of that column alone.
 * </ul>
 *
 * <p>Snapshots written before this hash stored {@code xxhash64(fields)}; {@link #isJsonHash(String,
 * long)} recognises such a row, so the diff can compare both during the one run that upgrades a
 * sync's snapshot.
 */
public final class FieldsHash {
  private FieldsHash() {}

  /** How many columns one null-mask word covers. */
  private static final int MASK_BITS = 63;

  /** The hash of every column of {@code schema}, each read as {@code prefix + quoted name}. */
  public static Column of(StructType schema, String prefix) {
    StructField[] sorted =
        Arrays.stream(schema.fields())
            .sorted(Comparator.comparing(StructField::name))
            .toArray(StructField[]::new);
    List<Column> parts = new ArrayList<>();
    StringBuilder signature = new StringBuilder();
    List<Column> masks = new ArrayList<>();
    Column mask = null;
    for (int i = 0; i < sorted.length; i++) {
      StructField f = sorted[i];
      Column c = expr(prefix + CanonicalFields.quote(f.name()));
      signature.append(f.name()).append('\u0000').append(kind(f.dataType())).append('\u0001');
      parts.add(value(c, f.dataType(), prefix + CanonicalFields.quote(f.name())));
      Column bit = when(c.isNull(), lit(1L << (i % MASK_BITS))).otherwise(lit(0L));
      mask = mask == null ? bit : mask.plus(bit);
      if (i % MASK_BITS == MASK_BITS - 1 || i == sorted.length - 1) {
        masks.add(mask);
        mask = null;
      }
    }
    List<Column> args = new ArrayList<>();
    args.add(lit(seed(signature.toString())));
    args.addAll(parts);
    args.addAll(masks);
    return xxhash64(args.toArray(new Column[0]));
  }

  /** The kind a column's values are hashed as; part of the seed. */
  static String kind(DataType type) {
    if (type instanceof ByteType
        || type instanceof ShortType
        || type instanceof IntegerType
        || type instanceof LongType) {
      return "integer";
    }
    if (type instanceof DecimalType) {
      return "decimal";
    }
    if (type instanceof FloatType
        || type instanceof DoubleType
        || type instanceof StringType
        || type instanceof BinaryType
        || type instanceof BooleanType
        || type instanceof DateType
        || type instanceof TimestampType
        || type instanceof TimestampNTZType
        || type instanceof NullType) {
      return type.typeName();
    }
    // Nested and other types: the canonical JSON (or text) of the column, under its full type.
    return "json " + type.catalogString();
  }

  private static Column value(Column c, DataType type, String sql) {
    if (type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType) {
      return c.cast(DataTypes.LongType);
    }
    if (type instanceof DecimalType d) {
      return c.cast(DataTypes.createDecimalType(DecimalType.MAX_PRECISION(), d.scale()));
    }
    if (kind(type).startsWith("json ")) {
      if (type instanceof StructType
          || type instanceof org.apache.spark.sql.types.ArrayType
          || type instanceof org.apache.spark.sql.types.MapType) {
        return to_json(
            expr(CanonicalFields.canonicalValue(sql, type)), CanonicalFields.JSON_OPTIONS);
      }
      return c.cast(DataTypes.StringType);
    }
    return c;
  }

  private static long seed(String signature) {
    byte[] bytes = signature.getBytes(StandardCharsets.UTF_8);
    return XXH64.hashUnsafeBytes(bytes, Platform.BYTE_ARRAY_OFFSET, bytes.length, 42L);
  }

  /**
   * Whether a stored {@code fields_hash} is the hash snapshots held before this one: Spark's {@code
   * xxhash64} of the {@code fields} text. True for such a row whose text came back as written; a
   * typed hash equals it with a 2^-64 chance.
   */
  public static boolean isJsonHash(String fields, long fieldsHash) {
    byte[] bytes = fields.getBytes(StandardCharsets.UTF_8);
    return XXH64.hashUnsafeBytes(bytes, Platform.BYTE_ARRAY_OFFSET, bytes.length, 42L)
        == fieldsHash;
  }

  /** The column of {@code xxhash64(fields)} for a {@code fields} JSON column: the former hash. */
  public static Column jsonHash(Column fieldsJson) {
    return xxhash64(fieldsJson);
  }
}
