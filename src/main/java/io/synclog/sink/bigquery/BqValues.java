package io.synclog.sink.bigquery;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/** Values between Java and the REST API's text form: parameters out, result cells in. */
final class BqValues {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[^-]*-----END [A-Z ]*PRIVATE KEY-----");

  private BqValues() {}

  /** A TIMESTAMP parameter value, microsecond precision, UTC. */
  static String timestamp(Instant t) {
    return TIMESTAMP.format(t.truncatedTo(ChronoUnit.MICROS));
  }

  /** A result cell of a TIMESTAMP column, read with {@code useInt64Timestamp}. */
  static Instant instant(String micros) {
    long us = Long.parseLong(micros);
    return Instant.EPOCH.plus(us, ChronoUnit.MICROS);
  }

  /** One parameter per column of a row, named prefix + column. */
  static List<BqParam> params(String prefix, Row row, StructType schema) {
    List<BqParam> out = new ArrayList<>();
    for (int i = 0; i < schema.fields().length; i++) {
      DataType type = schema.fields()[i].dataType();
      Object v = row.get(i);
      String name = prefix + schema.fields()[i].name();
      String text;
      if (v == null) {
        text = null;
      } else if (v instanceof Timestamp t) {
        text = timestamp(t.toInstant());
      } else {
        text = v.toString();
      }
      out.add(new BqParam(name, BqTypes.sqlType(type), text));
    }
    return out;
  }

  /** A result row as a Spark row of the schema. */
  static Row row(List<String> cells, StructType schema) {
    Object[] values = new Object[schema.fields().length];
    for (int i = 0; i < values.length; i++) {
      String v = cells.get(i);
      DataType type = schema.fields()[i].dataType();
      if (v == null) {
        values[i] = null;
      } else if (type instanceof LongType) {
        values[i] = Long.parseLong(v);
      } else if (type instanceof IntegerType) {
        values[i] = Integer.parseInt(v);
      } else if (type instanceof BooleanType) {
        values[i] = Boolean.parseBoolean(v);
      } else if (type instanceof TimestampType) {
        values[i] = Timestamp.from(instant(v));
      } else if (type instanceof DateType) {
        values[i] = Date.valueOf(v);
      } else {
        values[i] = v;
      }
    }
    return new GenericRowWithSchema(values, schema);
  }

  /**
   * The error itself when no message in its chain holds a secret or a private key; otherwise one
   * exception carrying the masked message of the outermost error and no cause.
   */
  static Throwable scrub(Throwable e, List<String> secrets) {
    boolean leaks = false;
    for (Throwable t = e; t != null && !leaks; t = t.getCause() == t ? null : t.getCause()) {
      leaks = holdsSecret(String.valueOf(t.getMessage()), secrets);
    }
    if (!leaks) {
      return e;
    }
    return new IllegalStateException(
        e.getClass().getSimpleName() + ": " + mask(String.valueOf(e.getMessage()), secrets));
  }

  private static boolean holdsSecret(String message, List<String> secrets) {
    if (PRIVATE_KEY.matcher(message).find()) {
      return true;
    }
    return secrets.stream().anyMatch(s -> s != null && !s.isEmpty() && message.contains(s));
  }

  static String mask(String message, List<String> secrets) {
    String m = PRIVATE_KEY.matcher(message).replaceAll("****");
    for (String s : secrets) {
      if (s != null && !s.isEmpty()) {
        m = m.replace(s, "****");
      }
    }
    return m;
  }
}
