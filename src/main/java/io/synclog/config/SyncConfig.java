package io.synclog.config;

import io.synclog.error.Errors;
import io.synclog.log.SyncRun;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The job's configuration, resolved once from {@link ConfigSources} and validated completely before
 * any Spark action. Immutable.
 */
public final class SyncConfig implements TargetKeys {
  /** Table names synclog can keep. */
  public static final List<String> TABLES = List.of("changelog", "snapshot", "runs");

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_.:@/+=-]{1,200}");

  private final Map<String, String> values;
  private final Map<String, Secret> secrets;

  private SyncConfig(Map<String, String> values, Map<String, Secret> secrets) {
    this.values = values;
    this.secrets = secrets;
  }

  /** Resolves the layers, then validates; throws one error listing every problem. */
  public static SyncConfig resolve(ConfigSources sources, Need need) {
    List<String> problems = new ArrayList<>();
    Map<String, String> merged = ConfigLayers.merge(sources, problems);
    Map<String, Secret> secrets = new LinkedHashMap<>();
    for (ConfigKey key : ConfigKeys.ALL.values()) {
      String secret = key.secret() ? merged.remove(key.name()) : null;
      if (secret != null) {
        secrets.put(key.name(), Secret.of(secret));
      }
    }
    SyncConfig config = new SyncConfig(Map.copyOf(merged), Map.copyOf(secrets));
    config.validate(need, problems);
    if (!problems.isEmpty()) {
      throw Errors.invalidConfig(problems);
    }
    return config;
  }

  /** What the command about to run needs from the configuration. */
  public enum Need {
    /** A sync and a run with its statuses: record. */
    RUN,
    /** A sync and a run to plan: its statuses do not exist yet. */
    PLAN,
    /** A sync only: unlock. */
    SYNC,
    /** Only a target: prune, demo. */
    TARGET
  }

  private void validate(Need need, List<String> problems) {
    for (Map.Entry<String, String> e : values.entrySet()) {
      ConfigKey key = ConfigKeys.ALL.get(e.getKey());
      if (!key.choices().isEmpty() && !key.choices().contains(e.getValue())) {
        problems.add(
            "'"
                + key.name()
                + "' is '"
                + e.getValue()
                + "'; expected one of "
                + String.join(", ", key.choices()));
      }
    }
    if (!IDENTIFIER.matcher(schema()).matches()) {
      problems.add(
          "'target.schema' is '"
              + schema()
              + "'; use letters, digits and underscores, starting with a letter");
    }
    for (String table : enabledTables()) {
      if (!TABLES.contains(table)) {
        problems.add("'tables.enabled' names '" + table + "'; expected some of " + TABLES);
      }
    }
    String rewriteRuns = get(ConfigKeys.TARGET_SNAPSHOT_REWRITE_RUNS);
    if (!rewriteRuns.matches("\\d{1,9}")) {
      problems.add(
          "'target.snapshot-rewrite-runs' is '"
              + rewriteRuns
              + "'; expected a whole number, 0 or more");
    }
    if ("postgres".equals(targetKind()) && !values.containsKey(ConfigKeys.TARGET_JDBC_URL.name())) {
      problems.add("'target.jdbc-url' is required with target.kind=postgres");
    }
    if (need == Need.TARGET) {
      return;
    }
    require(ConfigKeys.SYNC_ID, problems);
    checkId(ConfigKeys.SYNC_ID, problems);
    if (need == Need.SYNC) {
      return;
    }
    require(ConfigKeys.RUN_ID, problems);
    checkId(ConfigKeys.RUN_ID, problems);
    require(ConfigKeys.MODEL_ID, problems);
    require(ConfigKeys.MODEL_PRIMARY_KEY, problems);
    long modelSources =
        java.util.stream.Stream.of(
                ConfigKeys.MODEL_TABLE, ConfigKeys.MODEL_QUERY, ConfigKeys.MODEL_PATH)
            .filter(k -> values.containsKey(k.name()))
            .count();
    if (modelSources != 1) {
      problems.add(
          "set exactly one of 'model.table', 'model.query' and 'model.path' (found "
              + modelSources
              + ")");
    }
    if (values.containsKey(ConfigKeys.MODEL_JDBC_URL.name())
        && values.containsKey(ConfigKeys.MODEL_PATH.name())) {
      problems.add("'model.jdbc-url' reads model.table or model.query, not model.path");
    }
    if (need == Need.RUN
        && values.containsKey(ConfigKeys.STATUSES_TABLE.name())
            == values.containsKey(ConfigKeys.STATUSES_PATH.name())) {
      problems.add("set exactly one of 'statuses.table' and 'statuses.path'");
    }
    if (values.containsKey(ConfigKeys.SPLIT_COLUMN.name())
        && values.containsKey(ConfigKeys.SPLIT_GROUPS.name())) {
      problems.add("set at most one of 'split.column' and 'split.groups'");
    }
    splitGroupsChecked(problems);
    instant(ConfigKeys.RUN_STARTED_AT, problems);
    instant(ConfigKeys.RUN_FINISHED_AT, problems);
  }

  /** Every how many runs a Delta snapshot with deletion vectors is rewritten whole; 0: never. */
  public int snapshotRewriteRuns() {
    return Integer.parseInt(get(ConfigKeys.TARGET_SNAPSHOT_REWRITE_RUNS));
  }

  private void require(ConfigKey key, List<String> problems) {
    if (!values.containsKey(key.name())) {
      problems.add(
          "'"
              + key.name()
              + "' is required: "
              + key.doc()
              + " Set it in the config file or with --"
              + key.name()
              + "=...");
    }
  }

  private void checkId(ConfigKey key, List<String> problems) {
    String v = values.get(key.name());
    if (v != null && !SAFE_ID.matcher(v).matches()) {
      problems.add(
          "'"
              + key.name()
              + "' is '"
              + v
              + "'; use at most 200 letters, digits and the characters _ . : @ / + = -");
    }
  }

  private Optional<Instant> instant(ConfigKey key, List<String> problems) {
    String v = values.get(key.name());
    if (v == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(v));
    } catch (DateTimeParseException e) {
      if (problems != null) {
        problems.add(
            "'" + key.name() + "' is '" + v + "'; use ISO-8601 UTC such as 2026-01-31T12:00:00Z");
      }
      return Optional.empty();
    }
  }

  private Map<String, Integer> splitGroupsChecked(List<String> problems) {
    String v = values.get(ConfigKeys.SPLIT_GROUPS.name());
    Map<String, Integer> groups = new LinkedHashMap<>();
    if (v == null) {
      return groups;
    }
    int total = 0;
    for (String part : v.split(",")) {
      String[] nameAndPercent = part.trim().split(":");
      try {
        int percent = Integer.parseInt(nameAndPercent[1].trim());
        if (nameAndPercent.length != 2 || nameAndPercent[0].isBlank() || percent <= 0) {
          throw new NumberFormatException();
        }
        groups.put(nameAndPercent[0].trim(), percent);
        total += percent;
      } catch (RuntimeException e) {
        if (problems != null) {
          problems.add("'split.groups' entry '" + part.trim() + "' is not name:percent");
        }
      }
    }
    if (problems != null && total != 100 && !groups.isEmpty()) {
      problems.add("'split.groups' percentages add up to " + total + ", not 100");
    }
    return groups;
  }

  // ---- typed accessors -------------------------------------------------------------------

  @Override
  public String get(ConfigKey key) {
    return values.get(key.name());
  }

  @Override
  public Optional<String> optional(ConfigKey key) {
    return Optional.ofNullable(values.get(key.name()));
  }

  public String syncId() {
    return get(ConfigKeys.SYNC_ID);
  }

  public String runId() {
    return get(ConfigKeys.RUN_ID);
  }

  /** The run this configuration records: {@link #syncId} and {@link #runId}, both set. */
  public SyncRun syncRun() {
    return new SyncRun(syncId(), runId());
  }

  public String modelId() {
    return get(ConfigKeys.MODEL_ID);
  }

  public String modelName() {
    return optional(ConfigKeys.MODEL_NAME).orElse(modelId());
  }

  public String primaryKey() {
    return get(ConfigKeys.MODEL_PRIMARY_KEY);
  }

  public String destination() {
    return get(ConfigKeys.SYNC_DESTINATION);
  }

  @Override
  public String schema() {
    return get(ConfigKeys.TARGET_SCHEMA);
  }

  public String targetKind() {
    return get(ConfigKeys.TARGET_KIND);
  }

  public String location() {
    return get(ConfigKeys.TARGET_LOCATION);
  }

  /** A secret setting (a password), if set. */
  @Override
  public Optional<Secret> secret(ConfigKey key) {
    return Optional.ofNullable(secrets.get(key.name()));
  }

  public List<String> enabledTables() {
    return Arrays.stream(get(ConfigKeys.TABLES_ENABLED).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  public boolean tableEnabled(String table) {
    return enabledTables().contains(table);
  }

  public boolean failOnKeyProblem() {
    return "fail".equals(get(ConfigKeys.MODEL_ON_KEY_PROBLEM));
  }

  public boolean failOnSchemaChange() {
    return "fail".equals(get(ConfigKeys.MODEL_ON_SCHEMA_CHANGE));
  }

  public boolean tolerateBadStatuses() {
    return "tolerate".equals(get(ConfigKeys.STATUSES_ON_INVALID));
  }

  public Map<String, Integer> splitGroups() {
    return splitGroupsChecked(null);
  }

  public Optional<String> splitColumn() {
    return optional(ConfigKeys.SPLIT_COLUMN);
  }

  public boolean usesSplits() {
    return splitColumn().isPresent() || !splitGroups().isEmpty();
  }

  public Optional<Instant> runStartedAt() {
    return instant(ConfigKeys.RUN_STARTED_AT, null);
  }

  public Optional<Instant> runFinishedAt() {
    return instant(ConfigKeys.RUN_FINISHED_AT, null);
  }

  /** Returns a copy with some keys replaced: used by the demo to step through runs. */
  public SyncConfig with(Map<String, String> overrides) {
    Map<String, String> next = new LinkedHashMap<>(values);
    overrides.forEach(
        (k, v) -> {
          if (v == null) {
            next.remove(k);
          } else {
            next.put(k, v);
          }
        });
    return new SyncConfig(Map.copyOf(next), secrets);
  }

  /** The effective configuration, one key a line, secrets masked: for the start-up log. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (ConfigKey key : ConfigKeys.ALL.values()) {
      String v = key.secret() ? (secrets.containsKey(key.name()) ? "****" : null) : get(key);
      if (v != null) {
        sb.append("  ").append(key.name()).append(" = ").append(v).append('\n');
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "SyncConfig{\n" + describe() + "}";
  }
}
