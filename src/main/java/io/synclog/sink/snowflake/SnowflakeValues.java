package io.synclog.sink.snowflake;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** JDBC values as the log tables' Spark types: NUMBER(38,0) comes back as BigDecimal, say. */
final class SnowflakeValues {
  private SnowflakeValues() {}

  static Instant instant(Object v) {
    if (v instanceof Timestamp t) {
      return t.toInstant();
    }
    if (v instanceof OffsetDateTime t) {
      return t.toInstant();
    }
    throw new IllegalArgumentException("not a timestamp: " + (v == null ? null : v.getClass()));
  }

  static Object as(Object v, DataType type) {
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
