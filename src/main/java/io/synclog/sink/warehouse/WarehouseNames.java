package io.synclog.sink.warehouse;

import io.synclog.error.Errors;
import io.synclog.log.SyncRun;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A sink's SQL names: the schema and table names from the configuration, validated as plain
 * identifiers and quoted by the dialect, and the per-run staging tables. Only names built here
 * reach SQL text; values are always bound parameters.
 */
public class WarehouseNames {
  public static final String LOCKS = "_synclog_locks";
  public static final String PLANS = "sync_plans";
  public static final String STAGING_PREFIX = "_synclog_stage_";

  private final Dialect dialect;
  private final List<String> container;
  private final String schema;
  private final Map<String, String> physical;

  /**
   * @param container the names above the schema in a table's path (BigQuery's project), or none
   * @param schema the schema (dataset) of the tables: {@code target.schema}
   * @param physical the physical name of each logical table (changelog, snapshot, runs)
   */
  protected WarehouseNames(
      Dialect dialect, List<String> container, String schema, Map<String, String> physical) {
    this.dialect = dialect;
    this.container = List.copyOf(container);
    this.schema = identifier(dialect, "target.schema", schema);
    physical.values().forEach(name -> identifier(dialect, "a table name", name));
    this.physical = Map.copyOf(physical);
  }

  public WarehouseNames(Dialect dialect, String schema, Map<String, String> physical) {
    this(dialect, List.of(), schema, physical);
  }

  /** Checks a name is a plain identifier the warehouse keeps whole; returns it folded. */
  public static String identifier(Dialect dialect, String what, String name) {
    int max = dialect.maxIdentifierLength();
    if (!isPlain(dialect, name)) {
      throw Errors.badIdentifier(
          what,
          String.valueOf(name),
          "use 1 to "
              + max
              + " letters, digits and underscores, starting with a letter or underscore");
    }
    return dialect.fold(name);
  }

  /** Whether a name is a plain identifier: a letter or underscore, then letters, digits, _. */
  public static boolean isPlain(Dialect dialect, String name) {
    int max = dialect.maxIdentifierLength();
    return name != null
        && Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0," + (max - 1) + "}").matcher(name).matches();
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The schema's name as the warehouse stores it. */
  public String schema() {
    return dialect.fold(schema);
  }

  /** The physical, unquoted name of a logical table, as the warehouse stores it. */
  public String table(String logical) {
    return dialect.fold(physical.getOrDefault(logical, logical));
  }

  /** The quoted path of a logical table. */
  public String qualified(String logical) {
    return path(table(logical));
  }

  /** The quoted path of any table of the schema. */
  public String path(String table) {
    return dialect.qualify(pathTo(table));
  }

  /** The quoted path of the schema itself. */
  public String qualifiedSchema() {
    return dialect.qualify(pathTo(null));
  }

  /** The unquoted path of a logical table, for messages. */
  public String display(String logical) {
    return String.join(".", pathTo(table(logical)));
  }

  /**
   * The staging table of one run's rows for a logical table (or a write's purpose). Named after a
   * hash of the sync and run, so a rerun after a hard kill finds and replaces its predecessor's.
   */
  public String staging(SyncRun run, String logical) {
    return path(stagingName(dialect, run, logical));
  }

  public static String stagingName(Dialect dialect, SyncRun run, String logical) {
    return dialect.fold(
        STAGING_PREFIX + digest(run.syncId() + "\u0000" + run.runId()) + "_" + logical);
  }

  private List<String> pathTo(String table) {
    List<String> path = new ArrayList<>(container);
    path.add(schema());
    if (table != null) {
      path.add(table);
    }
    return path;
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
