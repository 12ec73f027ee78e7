package io.synclog.sink.snowflake;

import io.synclog.sink.warehouse.Dialect;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Snowflake folds unquoted identifiers to UPPERCASE, so every name is a plain identifier from the
 * configuration, folded to upper case and then double-quoted: {@code sync_changelog} becomes {@code
 * "SYNC_CHANGELOG"}, which users can query unquoted as {@code sync_changelog}, and which stays the
 * same name whatever a later statement quotes. The database is the session's (JDBC {@code db},
 * connector {@code sfDatabase}), so tables are named {@code "SCHEMA"."TABLE"}.
 *
 * <p>{@code fields} is {@code VARIANT} in the changelog and the snapshot (so {@code fields:email}
 * works), {@code VARCHAR} in the plan table (which must give back the exact text). Timestamps are
 * {@code TIMESTAMP_TZ} and travel as ISO text through {@code TO_TIMESTAMP_TZ}, so no driver or
 * session time zone setting can shift them. Snowflake declares but does not enforce primary keys;
 * they document the tables' keys. The changelog is clustered by (sync_id, run_date), matching the
 * rerun's DELETE, "one run's rows" and prune; the snapshot by sync_id, matching its replace-per-
 * sync DELETE.
 */
public final class SnowflakeDialect implements Dialect {
  public static final SnowflakeDialect INSTANCE = new SnowflakeDialect();

  static final String TS_FORMAT = "YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM";
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSxxx").withZone(ZoneOffset.UTC);

  private SnowflakeDialect() {}

  @Override
  public String warehouse() {
    return "Snowflake";
  }

  /** Snowflake identifiers are at most 255 characters. */
  @Override
  public int maxIdentifierLength() {
    return 255;
  }

  @Override
  public String fold(String name) {
    return name.toUpperCase(Locale.ROOT);
  }

  @Override
  public String columnType(String column, DataType type) {
    return type(type);
  }

  /** The Snowflake column type of a Spark type; every type a model or a log table may hold. */
  static String type(DataType t) {
    if (t instanceof StringType || t instanceof NullType) {
      return "VARCHAR";
    }
    if (t instanceof LongType) {
      return "BIGINT";
    }
    if (t instanceof IntegerType) {
      return "INTEGER";
    }
    if (t instanceof ShortType) {
      return "SMALLINT";
    }
    if (t instanceof ByteType) {
      return "BYTEINT";
    }
    if (t instanceof BooleanType) {
      return "BOOLEAN";
    }
    if (t instanceof DateType) {
      return "DATE";
    }
    if (t instanceof TimestampType) {
      return "TIMESTAMP_TZ";
    }
    if (t instanceof TimestampNTZType) {
      return "TIMESTAMP_NTZ";
    }
    if (t instanceof FloatType || t instanceof DoubleType) {
      return "FLOAT";
    }
    if (t instanceof DecimalType d) {
      return "NUMBER(" + d.precision() + ", " + d.scale() + ")";
    }
    if (t instanceof BinaryType) {
      return "BINARY";
    }
    if (t instanceof StructType || t instanceof MapType) {
      return "OBJECT";
    }
    if (t instanceof ArrayType) {
      return "ARRAY";
    }
    throw new IllegalArgumentException(
        "Cannot store Spark type " + t.simpleString() + " in Snowflake: cast it to a string first");
  }

  @Override
  public String jsonType() {
    return "VARIANT";
  }

  @Override
  public String primaryKey(List<String> columns) {
    return "PRIMARY KEY ("
        + columns.stream().map(this::quote).collect(Collectors.joining(", "))
        + ")";
  }

  @Override
  public String tableOptions(String logical) {
    return switch (logical) {
      case "changelog" -> " CLUSTER BY (" + quote("sync_id") + ", " + quote("run_date") + ")";
      case "snapshot" -> " CLUSTER BY (" + quote("sync_id") + ")";
      default -> "";
    };
  }

  @Override
  public String replaceViewOptions() {
    return " COPY GRANTS";
  }

  @Override
  public String schemaExistsQuery() {
    return "SELECT 1 FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = ?";
  }

  @Override
  public String timestampParam() {
    return "TO_TIMESTAMP_TZ(?, '" + TS_FORMAT + "')";
  }

  @Override
  public Object timestamp(Instant t) {
    return TS.format(t);
  }

  /** The staged fields are text; the commit parses them into VARIANT (plans keep the text). */
  @Override
  public String stagedFields(String logical, String column) {
    return logical.equals("changelog") || logical.equals("snapshot")
        ? "PARSE_JSON(" + column + ")"
        : column;
  }

  @Override
  public void bind(PreparedStatement ps, int at, Object p) throws SQLException {
    if (p == null) {
      ps.setNull(at, Types.VARCHAR);
    } else if (p instanceof String v) {
      ps.setString(at, v);
    } else if (p instanceof Long v) {
      ps.setLong(at, v);
    } else if (p instanceof Integer v) {
      ps.setInt(at, v);
    } else if (p instanceof Boolean v) {
      ps.setBoolean(at, v);
    } else if (p instanceof java.sql.Date v) {
      ps.setDate(at, v);
    } else {
      throw new IllegalArgumentException("cannot bind " + p.getClass().getName());
    }
  }
}
