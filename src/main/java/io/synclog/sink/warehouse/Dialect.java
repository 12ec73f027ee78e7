package io.synclog.sink.warehouse;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.DataType;

/**
 * What one SQL warehouse says differently from the others: its identifier rule and quoting, its
 * column types, the layout clauses of its tables and how its driver binds and returns values.
 * Everything the warehouses share (names, DDL, the lock protocol, transactions, errors) is written
 * once around it, in this package.
 */
public interface Dialect {
  /** The warehouse's name in messages: "Postgres", "Redshift", "Snowflake", "BigQuery". */
  String warehouse();

  /** The longest plain identifier the warehouse keeps without truncating or refusing it. */
  int maxIdentifierLength();

  /** How the warehouse stores a plain identifier: Snowflake upper-cases, Redshift lower-cases. */
  default String fold(String name) {
    return name;
  }

  /** A double-quoted identifier, folded first; a quote inside is doubled. */
  default String quote(String name) {
    return "\"" + fold(name).replace("\"", "\"\"") + "\"";
  }

  /** A path of names (schema, table; or project, dataset, table) as the warehouse quotes it. */
  default String qualify(List<String> path) {
    return path.stream().map(this::quote).collect(Collectors.joining("."));
  }

  /** A column name as DDL and statements write it. */
  default String column(String name) {
    return quote(name);
  }

  /** The column type of a Spark type, for the named column of a log or staging table. */
  String columnType(String column, DataType type);

  /** The type of {@code fields} in the changelog and the snapshot: the warehouse's JSON type. */
  String jsonType();

  /**
   * The type of {@code fields_text}, the snapshot's exact copy of the canonical JSON the diff
   * compares, or null when the JSON type keeps the text as written.
   */
  default String fieldsTextType() {
    return null;
  }

  /** The type of {@code fields} in the plans table, or null for the column's usual type. */
  default String planFieldsType() {
    return null;
  }

  /** The primary-key clause of a table, or null where the warehouse declares none. */
  default String primaryKey(List<String> columns) {
    return "PRIMARY KEY (" + String.join(", ", columns) + ")";
  }

  /** What follows a table's column list (clustering, partitioning), or "". */
  default String tableOptions(String logical) {
    return "";
  }

  /** Statements that follow a table's creation (indexes), each safe to repeat. */
  default List<String> afterCreate(WarehouseNames names, String logical) {
    return List.of();
  }

  /** Whether {@code ALTER TABLE ... ADD COLUMN IF NOT EXISTS} is understood. */
  default boolean addColumnIfNotExists() {
    return true;
  }

  /**
   * What follows a replaced view's name, before AS: Snowflake's {@code COPY GRANTS} keeps the
   * grants a replaced view had, which it would otherwise drop.
   */
  default String replaceViewOptions() {
    return "";
  }

  /** A query with one parameter, the schema's name, that returns a row when the schema exists. */
  default String schemaExistsQuery() {
    return "SELECT 1 FROM pg_namespace WHERE nspname = ?";
  }

  /** The placeholder of a timestamp parameter, for values made by {@link #timestamp}. */
  default String timestampParam() {
    return "?";
  }

  /** A timestamp parameter's value. */
  default Object timestamp(Instant t) {
    return Timestamp.from(t);
  }

  /**
   * How a commit's INSERT ... SELECT reads {@code fields} (JSON text) from a staging table into a
   * logical table: parsed into the JSON type, or as it is.
   */
  default String stagedFields(String logical, String column) {
    return column;
  }

  /** Binds one parameter of a statement. */
  default void bind(PreparedStatement ps, int at, Object value) throws SQLException {
    ps.setObject(at, value);
  }

  /** Reads one column of a result row. */
  default Object read(ResultSet rs, int at) throws SQLException {
    return rs.getObject(at);
  }
}
