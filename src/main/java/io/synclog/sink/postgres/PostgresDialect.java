package io.synclog.sink.postgres;

import io.synclog.sink.warehouse.Dialect;
import io.synclog.sink.warehouse.WarehouseNames;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * PostgreSQL: double-quoted identifiers of at most 63 bytes (longer ones are silently truncated, so
 * could alias another), {@code jsonb} fields, {@code timestamptz} timestamps.
 *
 * <p>The snapshot keeps, besides {@code fields} as jsonb, {@code fields_text}: the exact canonical
 * JSON text the diff compares. jsonb re-orders keys and re-spaces values, so without it every row
 * would look changed on the next run. The plan table stores {@code fields} as {@code json}, which
 * keeps the text as written, for the same reason.
 *
 * <p>Indexes, and the queries they serve: snapshot primary key (sync_id, row_id), the replace-per-
 * sync DELETE and row look-ups, and a partial index on failed_reason for "most common errors";
 * changelog (sync_id, sync_run_id) for "one run's rows" and the rerun's DELETE, (sync_id, row_id)
 * for a row's history and enter/exit with lag(), (run_date) for prune; runs primary key (sync_id,
 * sync_run_id) and (sync_id, started_at) for "latest run"; plans (sync_id, sync_run_id).
 */
public final class PostgresDialect implements Dialect {
  public static final PostgresDialect INSTANCE = new PostgresDialect();

  private PostgresDialect() {}

  @Override
  public String warehouse() {
    return "Postgres";
  }

  @Override
  public int maxIdentifierLength() {
    return 63;
  }

  /** {@code fields} is jsonb, timestamps timestamptz, counts bigint, everything else text. */
  @Override
  public String columnType(String column, DataType type) {
    if (type.equals(DataTypes.LongType)) {
      return "bigint";
    }
    if (type.equals(DataTypes.IntegerType)) {
      return "integer";
    }
    if (type.equals(DataTypes.BooleanType)) {
      return "boolean";
    }
    if (type.equals(DataTypes.DateType)) {
      return "date";
    }
    if (type.equals(DataTypes.TimestampType)) {
      return "timestamptz";
    }
    return "text";
  }

  @Override
  public String jsonType() {
    return "jsonb";
  }

  @Override
  public String fieldsTextType() {
    return "text";
  }

  @Override
  public String planFieldsType() {
    return "json";
  }

  @Override
  public String stagedFields(String logical, String column) {
    return column + "::" + (logical.equals(WarehouseNames.PLANS) ? "json" : "jsonb");
  }

  @Override
  public List<String> afterCreate(WarehouseNames n, String logical) {
    return switch (logical) {
      case "changelog" ->
          List.of(
              index(n, logical, "by_run", "(sync_id, sync_run_id)"),
              index(n, logical, "by_row", "(sync_id, row_id)"),
              index(n, logical, "by_date", "(run_date)"));
      case "snapshot" ->
          List.of(
              index(
                  n, logical, "failed_reason", "(failed_reason) WHERE failed_reason IS NOT NULL"));
      case "runs" ->
          List.of(index(n, logical, "latest", "(sync_id, started_at DESC, recorded_at DESC)"));
      case WarehouseNames.PLANS -> List.of(index(n, logical, "by_run", "(sync_id, sync_run_id)"));
      default -> List.of();
    };
  }

  private static String index(WarehouseNames n, String logical, String suffix, String definition) {
    String name =
        WarehouseNames.identifier(INSTANCE, "an index name", n.table(logical) + "_" + suffix);
    return "CREATE INDEX IF NOT EXISTS "
        + INSTANCE.quote(name)
        + " ON "
        + n.qualified(logical)
        + " "
        + definition;
  }

  /** Timestamps as UTC offsets, which pgjdbc sends as timestamptz whatever the JVM's zone. */
  @Override
  public void bind(PreparedStatement ps, int at, Object value) throws SQLException {
    if (value instanceof Instant t) {
      ps.setObject(at, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    } else if (value instanceof Timestamp t) {
      ps.setObject(at, OffsetDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC));
    } else {
      ps.setObject(at, value);
    }
  }
}
