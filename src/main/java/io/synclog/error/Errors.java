package io.synclog.error;

import io.synclog.log.SyncRun;
import java.util.List;

/** Every user-facing error message is written here, so their wording stays consistent. */
public final class Errors {
  private Errors() {}

  private static SyncLogException error(String code, String message) {
    return new SyncLogException(code, message, null);
  }

  private static SyncLogException error(String code, String message, Throwable cause) {
    return new SyncLogException(code, message, cause);
  }

  private static String where(SyncRun run) {
    return "sync '" + run.syncId() + "', run '" + run.runId() + "'";
  }

  public static SyncLogException invalidConfig(List<String> problems) {
    return error(
        "CONFIG",
        "Cannot start: the configuration has "
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + ":\n  - "
            + String.join("\n  - ", problems)
            + "\nFix them in the config file or override them on the command line (--key=value).");
  }

  public static SyncLogException unreadableConfigFile(String path, Throwable cause) {
    return error(
        "CONFIG_FILE",
        "Cannot read config file '"
            + path
            + "': "
            + cause.getMessage()
            + ". Check the path given with --config.",
        cause);
  }

  public static SyncLogException badUsage(String message) {
    return error("USAGE", message + "\nRun with --help to see the commands and options.");
  }

  public static SyncLogException unreadableModel(SyncRun run, String source, Throwable cause) {
    return error(
        "MODEL_UNREADABLE",
        "Cannot read the model extract of "
            + where(run)
            + " from "
            + source
            + ": "
            + firstLine(cause)
            + ". Check model.table, model.path/model.format or model.query.",
        cause);
  }

  public static SyncLogException missingPrimaryKey(
      SyncRun run, String source, String column, List<String> columns) {
    return error(
        "MODEL_NO_PRIMARY_KEY",
        "Cannot diff the model of %s: primary key column '%s' is not in %s (columns: %s). Set"
                .formatted(where(run), column, source, String.join(", ", columns))
            + " model.primary-key to one of them.");
  }

  public static SyncLogException keyProblems(
      SyncRun run, long nullKeys, long duplicateKeys, String example) {
    return error(
        "MODEL_KEY_PROBLEMS",
        "Cannot record "
            + where(run)
            + ": the model has "
            + nullKeys
            + " row(s) with a null primary key and "
            + duplicateKeys
            + " row(s) sharing a duplicated primary key"
            + (example == null ? "" : " (for example " + example + ")")
            + ", and model.on-key-problem=fail. Fix the model, or set model.on-key-problem=log to"
            + " log such rows as failed and sync the rest.");
  }

  /**
   * @param change the columns that changed, named: {@code added x int, dropped y, retyped z int ->
   *     bigint}
   */
  public static SyncLogException schemaChanged(SyncRun run, String change) {
    return error(
        "MODEL_SCHEMA_CHANGED",
        "Cannot record "
            + where(run)
            + ": the model's columns changed since the last run ("
            + change
            + ") and model.on-schema-change=fail. Set model.on-schema-change=resync to plan every"
            + " row whose fields changed (all rows, when a column was added or dropped).");
  }

  public static SyncLogException unreadableStatuses(SyncRun run, String source, Throwable cause) {
    return error(
        "STATUSES_UNREADABLE",
        "Cannot read the row statuses of "
            + where(run)
            + " from "
            + source
            + ": "
            + firstLine(cause)
            + ". The sync engine writes them; check statuses.path/statuses.format or"
            + " statuses.table.",
        cause);
  }

  public static SyncLogException malformedStatuses(SyncRun run, String source, String why) {
    return error(
        "STATUSES_MALFORMED",
        "Cannot use the row statuses of "
            + where(run)
            + " in "
            + source
            + ": "
            + why
            + ". Expected columns row_id (string), status (succeeded, failed or aborted) and"
            + " optionally failed_reason (string).");
  }

  public static SyncLogException invalidStatuses(
      SyncRun run, String source, List<String> problems) {
    return error(
        "STATUSES_INVALID",
        "Cannot record "
            + where(run)
            + ": the statuses in "
            + source
            + " do not match the run's plan:\n  - "
            + String.join("\n  - ", problems)
            + "\nFix the sync engine's output, or set statuses.on-invalid=tolerate to keep the"
            + " run (unplanned statuses are ignored, duplicates resolved to the worst status,"
            + " unknown values logged as failed; all of it counted in the run summary).");
  }

  public static SyncLogException runInProgress(
      SyncRun run, String otherRunId, String phase, String table) {
    return error(
        "RUN_IN_PROGRESS",
        ("Cannot start run '%s' of sync '%s': run '%s' of the same sync is %s (lock in %s). Finish"
                + " it by recording run '%s' again, or, if it is abandoned, release it with: unlock"
                + " --sync.id=%s --run.id=%s")
            .formatted(
                run.runId(),
                run.syncId(),
                otherRunId,
                phase,
                table,
                otherRunId,
                run.syncId(),
                otherRunId));
  }

  public static SyncLogException concurrentRun(SyncRun run, String table) {
    return error(
        "RUN_CONCURRENT",
        ("Cannot start run '%s' of sync '%s': another run of the same sync took the lock in %s at"
                + " the same moment. Only one run of a sync may be recorded at a time; retry once"
                + " the other run has finished.")
            .formatted(run.runId(), run.syncId(), table));
  }

  public static SyncLogException noPlan(SyncRun run, String table) {
    return error(
        "PLAN_MISSING",
        "Cannot use the stored plan of "
            + where(run)
            + ": "
            + table
            + " holds no plan for it. Run 'plan' first, or run 'record' without"
            + " --use-plan to diff the model now.");
  }

  public static SyncLogException unlockNothing(SyncRun run) {
    return error(
        "UNLOCK_NOTHING",
        "Cannot unlock %s: no run of that sync holds the lock.".formatted(where(run)));
  }

  public static SyncLogException unlockOther(SyncRun run, String holder) {
    return error(
        "UNLOCK_OTHER",
        "Cannot unlock %s: the lock is held by run '%s'. Name that run to release it."
            .formatted(where(run), holder));
  }

  public static SyncLogException writeFailed(SyncRun run, String table, Throwable cause) {
    return error(
        "WRITE_FAILED",
        "Cannot write table %s for %s: %s. Nothing is half-written: rerun the same run to finish it"
                .formatted(table, where(run), firstLine(cause))
            + " (reruns are safe).",
        cause);
  }

  public static SyncLogException unreadableTable(String table, Throwable cause) {
    return error(
        "TABLE_UNREADABLE",
        "Cannot read table %s: %s. Check target.location and that the table was written by synclog."
            .formatted(table, firstLine(cause)),
        cause);
  }

  public static SyncLogException badDuration(String text) {
    return error(
        "BAD_DURATION",
        "Cannot parse duration '"
            + text
            + "': use a number and a unit, such as 90d, 12h, 30m or 2w.");
  }

  /** The code of a fault injected on purpose; the command line exits with its own code for it. */
  public static final String INJECTED_FAULT = "INJECTED_FAULT";

  public static SyncLogException injectedFault(String boundary) {
    return error(INJECTED_FAULT, "Injected fault at '" + boundary + "' (fault.inject-at).");
  }

  public static SyncLogException badIdentifier(String what, String name, String rule) {
    return error(
        "BAD_IDENTIFIER",
        "Cannot use '%s' as %s: %s. Rename it in the configuration (names are used as quoted SQL"
                .formatted(name, what, rule)
            + " identifiers).");
  }

  public static SyncLogException lockLost(SyncRun run, String table) {
    return error(
        "LOCK_LOST",
        "Cannot commit "
            + where(run)
            + ": the run no longer holds the sync's lock in "
            + table
            + " (it was released with 'unlock' while the run was writing). Nothing was written;"
            + " record the run again.");
  }

  public static SyncLogException unreachableDatabase(String target, Throwable cause) {
    return error(
        "DATABASE_UNREACHABLE",
        "Cannot connect to "
            + target
            + ": "
            + firstLine(cause)
            + ". Check target.jdbc-url / model.jdbc-url, the user, and the password (set it with"
            + " SYNCLOG_TARGET_PASSWORD / SYNCLOG_MODEL_PASSWORD or the matching Spark conf).",
        cause);
  }

  public static SyncLogException postgresFailed(String action, String target, Throwable cause) {
    return error(
        "POSTGRES_FAILED",
        "Cannot %s in Postgres at %s: %s. Check target.jdbc-url and target.user, and that the user"
                .formatted(action, target, firstLine(cause))
            + " may create and write tables in target.schema.",
        cause);
  }

  /**
   * A statement, load or job failed in a warehouse (Snowflake, BigQuery, Redshift, Databricks).
   *
   * @param warehouse the warehouse's name, as users know it
   * @param action what synclog was doing: "replace the snapshot of sync 's1'"
   * @param target where: the account, project or cluster and the table, never a secret
   * @param hint what to check, naming the settings involved
   */
  public static SyncLogException warehouseFailed(
      String warehouse, String action, String target, String hint, Throwable cause) {
    return error(
        warehouse.toUpperCase(java.util.Locale.ROOT) + "_FAILED",
        "Cannot %s in %s at %s: %s. %s"
            .formatted(action, warehouse, target, firstLine(cause), hint),
        cause);
  }

  /** Settings a target kind needs are missing or inconsistent; all listed at once. */
  public static SyncLogException targetSettings(String kind, List<String> problems) {
    return error(
        "INVALID_TARGET",
        "target.kind="
            + kind
            + " cannot start:\n  - "
            + String.join("\n  - ", problems)
            + "\nSet them in the config file, as --key=value, SYNCLOG_* environment variables or"
            + " spark.synclog.* Spark conf (secrets: environment or Spark conf only).");
  }

  public static SyncLogException unreadableManifest(String path, Throwable cause) {
    return error(
        "BATCH_MANIFEST",
        "Cannot read batch manifest '" + path + "': " + firstLine(cause) + ".",
        cause);
  }

  /** A manifest line that cannot be read; line 0 for the manifest as a whole. */
  public static SyncLogException badManifest(String path, int line, String why) {
    return error(
        "BATCH_MANIFEST",
        "Batch manifest '"
            + path
            + "'"
            + (line > 0 ? ", line " + line : "")
            + ": "
            + why
            + ". Each line lists one run as key=value pairs, for example: config=crm.properties"
            + " run.id=run-0042 statuses.path=/landing/crm/run-0042");
  }

  /** Lines of a batch whose settings do not resolve, all listed; nothing was recorded. */
  public static SyncLogException invalidBatch(String path, List<String> problems) {
    return error(
        "CONFIG",
        "Cannot start the batch in '"
            + path
            + "': nothing was recorded, because "
            + (problems.size() == 1 ? "one line has" : problems.size() + " lines have")
            + " problems:\n"
            + String.join("\n", problems));
  }

  public static SyncLogException viewNameTaken(String view) {
    return error(
        "VIEW_NAME_TAKEN",
        "Cannot create view "
            + view
            + ": a table of that name is there, and synclog never replaces a table. Choose another"
            + " schema with --compat-schema, or move that table.");
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
