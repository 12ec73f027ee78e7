package io.synclog.sink.bigquery;

import io.synclog.sink.warehouse.Dialect;
import io.synclog.sink.warehouse.WarehouseNames;
import java.util.List;
import org.apache.spark.sql.types.DataType;

/**
 * BigQuery's names and types. A table is named by ONE backticked path, {@code
 * `project.dataset.table`} (a hyphenated or domain-scoped project id needs it), with backticks and
 * backslashes inside escaped; columns are plain identifiers and are written bare. Types are {@link
 * BqTypes}'; {@code fields} is JSON in the changelog and the snapshot, and since BigQuery's JSON
 * type re-writes the text, the snapshot also keeps {@code fields_text} as STRING (the plans table
 * keeps fields as STRING). BigQuery has no primary keys.
 *
 * <p>Layout: the changelog is partitioned by {@code run_date} (prune reads only the days it prunes,
 * a rerun's DELETE touches one partition) and clustered by sync and run; the snapshot is clustered
 * by sync and row, so replacing one sync's rows rewrites only its blocks; runs, plans and locks are
 * clustered by sync.
 *
 * <p>BigQuery is reached over REST, not JDBC: the dialect's binding and timestamp parameters are
 * not used (see {@link BqParam} and {@link BqValues}).
 */
public final class BigQueryDialect implements Dialect {
  public static final BigQueryDialect INSTANCE = new BigQueryDialect();

  private BigQueryDialect() {}

  /** The longest dataset or table name synclog accepts. */
  @Override
  public int maxIdentifierLength() {
    return 128;
  }

  /** A backticked identifier or path; backticks and backslashes inside are escaped. */
  @Override
  public String quote(String name) {
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }

  /** {@code `project.dataset.table`}: one quoted path. */
  @Override
  public String qualify(List<String> path) {
    return quote(String.join(".", path));
  }

  @Override
  public String column(String name) {
    return name;
  }

  @Override
  public String columnType(String column, DataType type) {
    return BqTypes.sqlType(type);
  }

  @Override
  public String jsonType() {
    return "JSON";
  }

  @Override
  public String fieldsTextType() {
    return "STRING";
  }

  @Override
  public String primaryKey(List<String> columns) {
    return null;
  }

  @Override
  public String tableOptions(String logical) {
    return switch (logical) {
      case "changelog" -> "\nPARTITION BY run_date CLUSTER BY sync_id, sync_run_id";
      case "snapshot" -> "\nCLUSTER BY sync_id, row_id";
      case WarehouseNames.PLANS -> "\nCLUSTER BY sync_id, sync_run_id";
      case "runs", WarehouseNames.LOCKS -> "\nCLUSTER BY sync_id";
      default -> "";
    };
  }

  @Override
  public String warehouse() {
    return "BigQuery";
  }
}
