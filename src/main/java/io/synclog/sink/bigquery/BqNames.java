package io.synclog.sink.bigquery;

import io.synclog.error.Errors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The sink's BigQuery names: project, dataset and tables from the configuration, validated and
 * quoted as one backticked path ({@code `project.dataset.table`}, which a hyphenated project id
 * needs), and the per-run staging tables. Values reach SQL as query parameters; the few literals
 * the connector needs as text go through {@link #literal}.
 */
final class BqNames {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  static final String LOCKS = "_synclog_locks";
  static final String PLANS = "sync_plans";
  static final String STAGING_PREFIX = "_synclog_stage_";

  private final String project;
  private final String dataset;
  private final Map<String, String> physical;

  BqNames(String project, String dataset, Map<String, String> physical) {
    this.project = project;
    this.dataset = identifier("target.schema", dataset);
    physical.values().forEach(name -> identifier("a table name", name));
    this.physical = Map.copyOf(physical);
  }

  /** Checks a dataset or table name is a plain identifier. */
  static String identifier(String what, String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw Errors.badIdentifier(
          what,
          String.valueOf(name),
          "use 1 to 128 letters, digits and underscores, starting with a letter or underscore");
    }
    return name;
  }

  /** A backticked identifier or path; backticks and backslashes inside are escaped. */
  static String quote(String name) {
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
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
    return dataset;
  }

  /** The physical, unquoted name of a logical table. */
  String table(String logical) {
    return physical.getOrDefault(logical, logical);
  }

  /** {@code `project.dataset.table`} of a logical table. */
  String qualified(String logical) {
    return path(table(logical));
  }

  /** {@code `project.dataset.name`} of any table of the dataset. */
  String path(String table) {
    return quote(project + "." + dataset + "." + table);
  }

  /** {@code `project.dataset`}. */
  String qualifiedDataset() {
    return quote(project + "." + dataset);
  }

  /** {@code project.dataset.table}, unquoted: the connector's {@code table} option, messages. */
  String display(String logical) {
    return project + "." + dataset + "." + table(logical);
  }

  /**
   * The staging table of one run's rows for a logical table. Named after a hash of the sync and
   * run, so a rerun after a hard kill overwrites its predecessor's leftovers.
   */
  static String stagingName(String syncId, String runId, String logical) {
    return STAGING_PREFIX + digest(syncId + "\u0000" + runId) + "_" + logical;
  }

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
