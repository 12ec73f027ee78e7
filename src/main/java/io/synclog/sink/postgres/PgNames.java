package io.synclog.sink.postgres;

import io.synclog.error.Errors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The sink's SQL names: the schema and table names from the configuration, validated and quoted,
 * and the per-run staging tables. Only names built here reach SQL text; values are always bound
 * parameters.
 */
final class PgNames {
  /** Postgres truncates identifiers at 63 bytes; a longer name would silently alias another. */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  static final String LOCKS = "_synclog_locks";
  static final String PLANS = "sync_plans";

  private final String schema;
  private final Map<String, String> physical;

  /**
   * @param schema the schema's name
   * @param physical the physical name of each logical table (changelog, snapshot, runs)
   */
  PgNames(String schema, Map<String, String> physical) {
    this.schema = identifier("target.schema", schema);
    physical.values().forEach(name -> identifier("a table name", name));
    this.physical = Map.copyOf(physical);
  }

  /** Checks a name is a plain SQL identifier. */
  static String identifier(String what, String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw Errors.badIdentifier(
          what,
          String.valueOf(name),
          "use 1 to 63 letters, digits and underscores, starting with a letter or underscore");
    }
    return name;
  }

  /** A double-quoted identifier; any quote inside is doubled. */
  static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  String schema() {
    return schema;
  }

  /** The physical, unquoted name of a logical table. */
  String table(String logical) {
    return physical.getOrDefault(logical, logical);
  }

  /** {@code "schema"."table"} of a logical table. */
  String qualified(String logical) {
    return quote(schema) + "." + quote(table(logical));
  }

  /** {@code schema.table}, unquoted, for messages. */
  String display(String logical) {
    return schema + "." + table(logical);
  }

  /**
   * The staging table of one run's rows for a logical table. Named after a hash of the sync and
   * run, so a rerun after a hard kill finds and replaces its predecessor's leftovers.
   */
  String staging(String syncId, String runId, String logical) {
    return quote(schema) + "." + quote(stagingName(syncId, runId, logical));
  }

  static String stagingName(String syncId, String runId, String logical) {
    return STAGING_PREFIX + digest(syncId + "\u0000" + runId) + "_" + logical;
  }

  static final String STAGING_PREFIX = "_synclog_stage_";

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
