package io.synclog.sink.snowflake;

import io.synclog.error.Errors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The sink's SQL names. Snowflake folds unquoted identifiers to UPPERCASE, so every name is a plain
 * identifier from the configuration, folded to upper case and then double-quoted: {@code
 * sync_changelog} becomes {@code "SYNC_CHANGELOG"}, which users can query unquoted as {@code
 * sync_changelog}, and which stays the same name whatever a later statement quotes. The database is
 * the session's (JDBC {@code db}, connector {@code sfDatabase}), so tables are named {@code
 * "SCHEMA"."TABLE"}.
 */
final class SnowflakeNames {
  /** Snowflake identifiers are at most 255 characters. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");

  static final String LOCKS = "_synclog_locks";
  static final String PLANS = "sync_plans";
  static final String STAGING_PREFIX = "_SYNCLOG_STAGE_";

  private final String schema;
  private final Map<String, String> physical;

  /**
   * @param schema target.schema
   * @param physical the physical name of each logical table (changelog, snapshot, runs)
   */
  SnowflakeNames(String schema, Map<String, String> physical) {
    this.schema = identifier("target.schema", schema);
    physical.values().forEach(name -> identifier("a table name", name));
    this.physical = Map.copyOf(physical);
  }

  static boolean isPlain(String name) {
    return name != null && PLAIN.matcher(name).matches();
  }

  static String identifier(String what, String name) {
    if (!isPlain(name)) {
      throw Errors.badIdentifier(
          what,
          String.valueOf(name),
          "use 1 to 255 letters, digits and underscores, starting with a letter or underscore");
    }
    return name;
  }

  /** The name as Snowflake stores an unquoted identifier. */
  static String folded(String name) {
    return name.toUpperCase(Locale.ROOT);
  }

  /** {@code "NAME"}: folded and double-quoted; a quote inside would be doubled. */
  static String quote(String name) {
    return "\"" + folded(name).replace("\"", "\"\"") + "\"";
  }

  String schema() {
    return folded(schema);
  }

  /** The physical, folded, unquoted name of a logical table. */
  String table(String logical) {
    return folded(physical.getOrDefault(logical, logical));
  }

  /** {@code "SCHEMA"."TABLE"} of a logical table. */
  String qualified(String logical) {
    return quote(schema) + "." + quote(table(logical));
  }

  /** {@code SCHEMA.TABLE}, for messages. */
  String display(String logical) {
    return schema() + "." + table(logical);
  }

  /**
   * The staging table of one run's rows for a logical table, named after a hash of the sync and
   * run, so a rerun after a hard kill replaces its predecessor's leftovers.
   */
  String staging(String syncId, String runId, String logical) {
    return quote(schema) + "." + quote(stagingName(syncId, runId, logical));
  }

  static String stagingName(String syncId, String runId, String logical) {
    return STAGING_PREFIX + digest(syncId + "\u0000" + runId) + "_" + folded(logical);
  }

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
