package io.synclog.sink.warehouse;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** Values as drivers return them, made into the log tables' Spark types. */
public final class WarehouseValues {
  private WarehouseValues() {}

  /** A timestamp as a driver returns it: Timestamp, OffsetDateTime or Instant. */
  public static Instant instant(Object v) {
    if (v instanceof Timestamp t) {
      return t.toInstant();
    }
    if (v instanceof OffsetDateTime t) {
      return t.toInstant();
    }
    if (v instanceof Instant t) {
      return t;
    }
    throw new IllegalArgumentException("not a timestamp: " + (v == null ? null : v.getClass()));
  }

  /** A value as the Spark type: NUMBER(38,0) may come back as BigDecimal, a timestamp as text. */
  public static Object as(Object v, DataType type) {
    if (v == null) {
      return null;
    }
    if (type.equals(DataTypes.LongType)) {
      return ((Number) v).longValue();
    }
    if (type.equals(DataTypes.TimestampType)) {
      return Timestamp.from(instant(v));
    }
    if (type.equals(DataTypes.StringType)) {
      return v.toString();
    }
    return v;
  }
}
