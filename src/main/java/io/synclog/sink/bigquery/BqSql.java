package io.synclog.sink.bigquery;

import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;

import io.synclog.log.LogTables;
import io.synclog.log.SyncRun;
import io.synclog.sink.RunLock;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The statements the sink runs, as text with named parameters ({@code @sync_id}, {@code @run_id},
 * ...). Plan separate from act: everything here is a pure function, so the exact SQL of a run is
 * unit-tested; {@link BigQueryLogSink} only sends it.
 *
 * <p>A commit is one script: staging tables get an expiration, then ONE multi-statement transaction
 * checks the lock, replaces the run's changelog rows (DELETE by run, INSERT from staging), replaces
 * the sync's snapshot with {@code MERGE ... ON FALSE} (delete the sync's old rows, insert the
 * staged ones, as one statement) and upserts the runs row. Any error rolls the transaction back and
 * re-raises.
 */
final class BqSql {
  private BqSql() {}

  /** Message of the lock assertion; the sink turns it into a LOCK_LOST error. */
  static final String LOCK_LOST = "synclog: the run no longer holds the lock";

  static final String SYNC = "sync_id";
  static final String RUN = "run_id";

  /** Wraps statements in one transaction that is rolled back, and the error re-raised, on error. */
  static String transaction(List<String> preamble, List<String> body) {
    StringBuilder b = new StringBuilder();
    for (String s : preamble) {
      b.append(s).append(";\n");
    }
    b.append("BEGIN\n  BEGIN TRANSACTION;\n");
    for (String s : body) {
      b.append("  ").append(s.replace("\n", "\n  ")).append(";\n");
    }
    b.append("  COMMIT TRANSACTION;\n");
    b.append("EXCEPTION WHEN ERROR THEN\n");
    b.append("  ROLLBACK TRANSACTION;\n");
    b.append("  RAISE USING MESSAGE = @@error.message;\n");
    b.append("END");
    return b.toString();
  }

  /** Fails the script unless the run holds the sync's lock. */
  static String assertLock(BqNames n) {
    return "ASSERT EXISTS (SELECT 1 FROM "
        + n.qualified(BqNames.LOCKS)
        + " WHERE sync_id = @sync_id AND sync_run_id = @run_id) AS "
        + BqNames.literal(LOCK_LOST);
  }

  /** The body of a commit's transaction. */
  static List<String> commitBody(
      BqNames n,
      String stagedChangelog,
      StructType changelog,
      String stagedSnapshot,
      StructType snapshot) {
    List<String> s = new ArrayList<>();
    s.add(assertLock(n));
    if (stagedChangelog != null) {
      s.add(
          "DELETE FROM "
              + n.qualified("changelog")
              + " WHERE run_date = @run_date AND sync_id = @sync_id AND sync_run_id = @run_id");
      List<String> cols = names(changelog);
      s.add(
          "INSERT INTO "
              + n.qualified("changelog")
              + " ("
              + String.join(", ", cols)
              + ")\nSELECT "
              + String.join(", ", cols)
              + " FROM "
              + stagedChangelog);
    }
    s.add(replaceSnapshot(n, stagedSnapshot, snapshot));
    s.add(upsertRun(n));
    return s;
  }

  /**
   * One statement replaces the sync's snapshot: rows of other syncs match neither branch, the
   * sync's old rows are deleted, every staged row is inserted. An empty staging table deletes the
   * sync's rows and inserts none, which a partition overwrite could not do.
   */
  static String replaceSnapshot(BqNames n, String staged, StructType snapshot) {
    List<String> cols = names(snapshot);
    cols.add(BqDdl.FIELDS_TEXT);
    List<String> values = new ArrayList<>();
    cols.forEach(c -> values.add("S." + c));
    return "MERGE INTO "
        + n.qualified("snapshot")
        + " T\nUSING "
        + staged
        + " S\nON FALSE\nWHEN NOT MATCHED BY SOURCE AND T.sync_id = @sync_id THEN DELETE\n"
        + "WHEN NOT MATCHED THEN INSERT ("
        + String.join(", ", cols)
        + ")\n  VALUES ("
        + String.join(", ", values)
        + ")";
  }

  /** The runs row, from parameters named after its columns ({@code @r_<column>}). */
  static String upsertRun(BqNames n) {
    List<String> cols = names(LogTables.runsSchema());
    List<String> select = new ArrayList<>();
    List<String> set = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (String c : cols) {
      select.add("@r_" + c + " AS " + c);
      values.add("S." + c);
      if (!c.equals(SYNC_ID) && !c.equals(SYNC_RUN_ID)) {
        set.add(c + " = S." + c);
      }
    }
    return """
        MERGE INTO %s T
        USING (SELECT %s) S
        ON T.sync_id = S.sync_id AND T.sync_run_id = S.sync_run_id
        WHEN MATCHED THEN UPDATE SET %s
        WHEN NOT MATCHED THEN INSERT (%s)
          VALUES (%s)"""
        .formatted(
            n.qualified("runs"),
            String.join(", ", select),
            String.join(", ", set),
            String.join(", ", cols),
            String.join(", ", values));
  }

  /** The body of storing a plan: the sync's old plan replaced, the lock marked planned. */
  static List<String> planBody(BqNames n, String staged, StructType plan) {
    List<String> cols = names(plan);
    return List.of(
        assertLock(n),
        "DELETE FROM " + n.qualified(BqNames.PLANS) + " WHERE sync_id = @sync_id",
        "INSERT INTO "
            + n.qualified(BqNames.PLANS)
            + " ("
            + String.join(", ", cols)
            + ")\nSELECT "
            + String.join(", ", cols)
            + " FROM "
            + staged,
        "UPDATE "
            + n.qualified(BqNames.LOCKS)
            + " SET phase = '"
            + RunLock.PLANNED
            + "', model_schema = @model_schema WHERE sync_id = @sync_id AND sync_run_id = @run_id");
  }

  /** Claims the sync unless some run holds it; reports how many rows it inserted. */
  static String claim(BqNames n) {
    return "INSERT INTO "
        + n.qualified(BqNames.LOCKS)
        + " (sync_id, sync_run_id, phase, base_version, started_at, claimed_at)\nSELECT @sync_id,"
        + " @run_id, '"
        + RunLock.RECORDING
        + "', 0, @started_at, CURRENT_TIMESTAMP()\nWHERE NOT EXISTS (SELECT 1 FROM "
        + n.qualified(BqNames.LOCKS)
        + " WHERE sync_id = @sync_id)";
  }

  static String locksOf(BqNames n) {
    return "SELECT sync_id, sync_run_id, phase, base_version, started_at, model_schema FROM "
        + n.qualified(BqNames.LOCKS)
        + " WHERE sync_id = @sync_id ORDER BY claimed_at, sync_run_id";
  }

  /** Withdraws this run's claim (after losing a race) or its lock and the sync's plan. */
  static List<String> releaseBody(BqNames n, boolean plans) {
    List<String> s = new ArrayList<>();
    if (plans) {
      s.add("DELETE FROM " + n.qualified(BqNames.PLANS) + " WHERE sync_id = @sync_id");
    }
    s.add(
        "DELETE FROM "
            + n.qualified(BqNames.LOCKS)
            + " WHERE sync_id = @sync_id AND sync_run_id = @run_id");
    return s;
  }

  static String recordedRun(BqNames n) {
    return "SELECT "
        + String.join(", ", names(LogTables.runsSchema()))
        + " FROM "
        + n.qualified("runs")
        + " WHERE sync_id = @sync_id AND sync_run_id = @run_id";
  }

  static String lastModelSchema(BqNames n) {
    return "SELECT model_schema FROM "
        + n.qualified("runs")
        + " WHERE sync_id = @sync_id ORDER BY started_at DESC, recorded_at DESC LIMIT 1";
  }

  /** How many runs the sync has recorded, and when the latest was. */
  static String commitMark(BqNames n) {
    return "SELECT COUNT(*), MAX(recorded_at) FROM "
        + n.qualified("runs")
        + " WHERE sync_id = @sync_id";
  }

  /**
   * Changelog rows dated before {@code @cutoff_date} whose run has no runs row, of {@code @sync_id}
   * alone when {@code oneSync}. Run after {@link #pruneRuns}: the runs it keeps (each sync's
   * latest) keep their rows.
   */
  static String pruneChangelog(BqNames n, boolean oneSync) {
    return "DELETE FROM "
        + n.qualified("changelog")
        + " C WHERE C.run_date < @cutoff_date"
        + (oneSync ? " AND C.sync_id = @sync_id" : "")
        + " AND NOT EXISTS (SELECT 1 FROM "
        + n.qualified("runs")
        + " K WHERE K.sync_id = C.sync_id AND K.sync_run_id = C.sync_run_id)";
  }

  /**
   * Runs older than {@code @cutoff}, except each sync's latest, of {@code @sync_id} alone when
   * {@code oneSync}.
   */
  static String pruneRuns(BqNames n, boolean oneSync) {
    return "DELETE FROM "
        + n.qualified("runs")
        + " R WHERE R.started_at < @cutoff"
        + (oneSync ? " AND R.sync_id = @sync_id" : "")
        + " AND EXISTS (SELECT 1 FROM "
        + n.qualified("runs")
        + " L WHERE L.sync_id = R.sync_id AND (L.started_at > R.started_at OR (L.started_at ="
        + " R.started_at AND L.recorded_at > R.recorded_at)))";
  }

  static List<String> names(StructType schema) {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      out.add(f.name());
    }
    return out;
  }

  /** The connector's read filter for one sync's rows (the connector takes it as SQL text). */
  static String syncFilter(String syncId) {
    return "sync_id = " + BqNames.literal(syncId);
  }

  static String runFilter(SyncRun run) {
    return syncFilter(run.syncId()) + " AND sync_run_id = " + BqNames.literal(run.runId());
  }

  /** Whether a failure is BigQuery aborting a transaction for a concurrent change. */
  static boolean isConcurrentUpdate(String message) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    return m.contains("concurrent update") || m.contains("could not serialize access");
  }
}
