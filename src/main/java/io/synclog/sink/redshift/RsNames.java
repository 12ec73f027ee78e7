package io.synclog.sink.redshift;

import io.synclog.error.Errors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The sink's SQL names. Only names built here reach SQL text: the schema and table names from the
 * configuration, validated as plain identifiers, and the per-run staging tables, named after a
 * hash. Redshift folds identifiers to lower case even when they are quoted, so names are
 * lower-cased before quoting: the same name then means the same table on Redshift and on any
 * stand-in.
 */
final class RsNames {
  /** Plain identifiers of at most 127 bytes, Redshift's limit. */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,126}");

  static final String LOCKS = "_synclog_locks";
  static final String PLANS = "sync_plans";
  static final String STAGING_PREFIX = "_synclog_stage_";

  private final String schema;
  private final Map<String, String> physical;

  /**
   * @param schema the schema of the tables
   * @param physical the physical name of each logical table (changelog, snapshot, runs)
   */
  RsNames(String schema, Map<String, String> physical) {
    this.schema = identifier("target.schema", schema);
    physical.values().forEach(name -> identifier("a table name", name));
    this.physical = Map.copyOf(physical);
  }

  /** Checks a name is a plain SQL identifier; returns it lower-cased. */
  static String identifier(String what, String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw Errors.badIdentifier(
          what,
          String.valueOf(name),
          "use 1 to 127 letters, digits and underscores, starting with a letter or underscore");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  /** A double-quoted identifier; a quote inside is doubled. */
  static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  String schema() {
    return schema;
  }

  /** The physical, unquoted name of a logical table. */
  String table(String logical) {
    return physical.getOrDefault(logical, logical).toLowerCase(Locale.ROOT);
  }

  /** {@code "schema"."table"} of a logical table. */
  String qualified(String logical) {
    return quote(schema) + "." + quote(table(logical));
  }

  /** {@code schema.table}, for messages. */
  String display(String logical) {
    return schema + "." + table(logical);
  }

  /**
   * The staging table of one run's write ({@code commit} or {@code plan}). Named after a hash of
   * the sync and run, so a rerun after a hard kill finds and replaces its predecessor's leftover.
   */
  String staging(String syncId, String runId, String purpose) {
    return quote(schema) + "." + quote(stagingName(syncId, runId, purpose));
  }

  static String stagingName(String syncId, String runId, String purpose) {
    return STAGING_PREFIX + digest(syncId + "\u0000" + runId) + "_" + purpose;
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
