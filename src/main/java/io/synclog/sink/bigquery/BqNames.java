package io.synclog.sink.bigquery;

import io.synclog.log.SyncRun;
import io.synclog.sink.warehouse.WarehouseNames;
import java.util.List;
import java.util.Map;

/**
 * The sink's BigQuery names: project, dataset and tables from the configuration, validated and
 * quoted as one backticked path ({@code `project.dataset.table`}, which a hyphenated project id
 * needs; see {@link BigQueryDialect}), and the per-run staging tables. The project is the container
 * above the dataset. Values reach SQL as query parameters; the few literals the connector needs as
 * text go through {@link #literal}.
 */
final class BqNames extends WarehouseNames {
  private final String project;

  /**
   * @param project target.project
   * @param dataset target.schema
   * @param physical the physical name of each logical table (changelog, snapshot, runs)
   */
  BqNames(String project, String dataset, Map<String, String> physical) {
    super(BigQueryDialect.INSTANCE, List.of(project), dataset, physical);
    this.project = project;
  }

  /** A backticked identifier or path; backticks and backslashes inside are escaped. */
  static String quote(String name) {
    return BigQueryDialect.INSTANCE.quote(name);
  }

  /**
   * A GoogleSQL string literal: quotes and backslashes escaped, and the control characters a
   * single-quoted literal cannot hold written as escapes.
   */
  static String literal(String value) {
    StringBuilder b = new StringBuilder("'");
    for (char ch : value.toCharArray()) {
      switch (ch) {
        case '\\' -> b.append("\\\\");
        case '\'' -> b.append("\\'");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20) {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('\'').toString();
  }

  String project() {
    return project;
  }

  String dataset() {
    return schema();
  }

  /** {@code `project.dataset`}. */
  String qualifiedDataset() {
    return qualifiedSchema();
  }

  /**
   * The staging table of one run's rows for a logical table. Named after a hash of the sync and
   * run, so a rerun after a hard kill overwrites its predecessor's leftovers.
   */
  static String stagingName(SyncRun run, String logical) {
    return stagingName(BigQueryDialect.INSTANCE, run, logical);
  }
}
