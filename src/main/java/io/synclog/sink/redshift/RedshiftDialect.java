package io.synclog.sink.redshift;

import io.synclog.sink.warehouse.Dialect;
import io.synclog.sink.warehouse.WarehouseNames;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Calendar;
import java.util.Locale;
import java.util.TimeZone;
import org.apache.spark.sql.types.DataType;

/**
 * Redshift: plain identifiers of at most 127 bytes, folded to lower case even when quoted (so names
 * are lower-cased before quoting: the same name then means the same table on Redshift and on any
 * stand-in), {@code SUPER} fields parsed from the staged text with {@code JSON_PARSE}, and column
 * types from {@link RsTypes}.
 *
 * <p>The snapshot also keeps {@code fields_text}, the exact canonical JSON text the next run's diff
 * compares (SUPER re-serialises values); the plan keeps fields as text only. No DISTSTYLE, DISTKEY
 * or SORTKEY is given: new Redshift tables default to AUTO for both, and Redshift's automatic table
 * optimisation picks keys from the actual queries. Primary keys are declared but, as always on
 * Redshift, not enforced; the sink never relies on them.
 *
 * <p>Parameters are bound with setters that work alike on the Redshift driver and pgjdbc
 * (timestamps in UTC), and results read by column type: timestamps as instants, integers as longs,
 * the rest as strings.
 */
public final class RedshiftDialect implements Dialect {
  public static final RedshiftDialect INSTANCE = new RedshiftDialect();

  private static final ThreadLocal<Calendar> UTC =
      ThreadLocal.withInitial(() -> Calendar.getInstance(TimeZone.getTimeZone("UTC")));

  private RedshiftDialect() {}

  @Override
  public String warehouse() {
    return "Redshift";
  }

  /** Redshift folds identifiers to lower case, quoted ones too. */
  @Override
  public String fold(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** 127 bytes; plain identifiers are ASCII, so as many characters. */
  @Override
  public int maxIdentifierLength() {
    return 127;
  }

  @Override
  public String columnType(String column, DataType type) {
    return RsTypes.column(column, type);
  }

  @Override
  public String jsonType() {
    return "SUPER";
  }

  @Override
  public String fieldsTextType() {
    return RsTypes.LONG_TEXT;
  }

  /** Redshift has no {@code ADD COLUMN IF NOT EXISTS}; the sink checks the column first. */
  @Override
  public boolean addColumnIfNotExists() {
    return false;
  }

  /** Typed, so that a timestamp selected rather than inserted (a claim) is a timestamptz. */
  @Override
  public String timestampParam() {
    return "CAST(? AS TIMESTAMPTZ)";
  }

  @Override
  public Object timestamp(Instant t) {
    return t;
  }

  /** The changelog's and the snapshot's fields parsed into SUPER; the plan's kept as text. */
  @Override
  public String stagedFields(String logical, String column) {
    return logical.equals(WarehouseNames.PLANS) ? column : "JSON_PARSE(" + column + ")";
  }

  @Override
  public void bind(PreparedStatement ps, int at, Object value) throws SQLException {
    if (value instanceof Instant t) {
      ps.setTimestamp(at, Timestamp.from(t), UTC.get());
    } else if (value instanceof LocalDate d) {
      ps.setDate(at, java.sql.Date.valueOf(d));
    } else if (value instanceof java.sql.Date d) {
      ps.setDate(at, d);
    } else if (value instanceof String s) {
      ps.setString(at, s);
    } else if (value instanceof Long l) {
      ps.setLong(at, l);
    } else if (value == null) {
      ps.setNull(at, Types.VARCHAR);
    } else {
      throw new IllegalArgumentException("unsupported parameter type " + value.getClass());
    }
  }

  @Override
  public Object read(ResultSet rs, int at) throws SQLException {
    switch (rs.getMetaData().getColumnType(at)) {
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
        Timestamp t = rs.getTimestamp(at, UTC.get());
        return t == null ? null : t.toInstant();
      }
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> {
        long l = rs.getLong(at);
        return rs.wasNull() ? null : l;
      }
      default -> {
        return rs.getString(at);
      }
    }
  }
}
