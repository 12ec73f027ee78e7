package io.synclog.sink.delta;

import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.synclog.log.LogTables;
import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import io.synclog.sink.PruneResult;
import io.synclog.sink.PruneScope;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * The changelog and runs tables: what each run did, row by row and in sum. A run writes each once,
 * idempotently; later runs read the runs back, and prune drops what is older than the retention.
 */
final class DeltaRunLog {
  private static final String RUNS = "runs";
  private static final String COUNT = "synclog_runs";
  private static final String LATEST = "synclog_latest";

  private final DeltaSession session;
  private final boolean writeChangelog;

  /** The latest {@link #syncRuns} read. */
  private volatile SyncRuns lastRead;

  DeltaRunLog(DeltaSession session, boolean writeChangelog) {
    this.session = session;
    this.writeChangelog = writeChangelog;
  }

  /** The runs row of a run, once it is recorded. */
  Optional<RunRecord> recorded(SyncRun run) {
    if (session.byLog(RUNS).isPresent()) {
      return syncRuns(run).recorded();
    }
    List<Row> rows =
        session
            .read(RUNS)
            .where(col(SYNC_ID).equalTo(run.syncId()).and(col(SYNC_RUN_ID).equalTo(run.runId())))
            .limit(1)
            .collectAsList();
    return rows.stream().findFirst().map(LogTables::runRecord);
  }

  Optional<String> lastModelSchema(String syncId) {
    Optional<SyncRuns> read = readBefore(syncId);
    if (read.isPresent()) {
      return read.get().lastModelSchema();
    }
    List<Row> rows =
        session
            .read(RUNS)
            .where(col(SYNC_ID).equalTo(syncId))
            .orderBy(col("started_at").desc(), col("recorded_at").desc())
            .select("model_schema")
            .limit(1)
            .collectAsList();
    return rows.stream().findFirst().map(r -> r.getString(0));
  }

  /** How many runs of the sync are recorded. */
  long count(String syncId) {
    Optional<SyncRuns> read = readBefore(syncId);
    if (read.isPresent()) {
      return read.get().count();
    }
    return session.read(RUNS).where(col(SYNC_ID).equalTo(syncId)).count();
  }

  /**
   * What a run asks of its sync's rows of the runs table: its own row, the latest run's model
   * schema and how many runs there are. By path all three come from one query, kept while the
   * table's version (read from its log, no Spark job) stays the one it was read at: a run checks
   * whether it is recorded, then its schema, then counts the runs when it writes the snapshot.
   */
  private record SyncRuns(
      SyncRun run,
      long version,
      Optional<RunRecord> recorded,
      Optional<String> lastModelSchema,
      long count) {}

  private SyncRuns syncRuns(SyncRun run) {
    long version = session.version(RUNS);
    SyncRuns kept = lastRead;
    if (kept != null && kept.run().equals(run) && kept.version() == version) {
      return kept;
    }
    List<Row> rows =
        session
            .read(RUNS)
            .where(col(SYNC_ID).equalTo(run.syncId()))
            .withColumn(COUNT, functions.count(lit(1)).over(Window.partitionBy(SYNC_ID)))
            .withColumn(
                LATEST,
                functions
                    .row_number()
                    .over(
                        Window.partitionBy(SYNC_ID)
                            .orderBy(col("started_at").desc(), col("recorded_at").desc())))
            .where(col(SYNC_RUN_ID).equalTo(run.runId()).or(col(LATEST).equalTo(1)))
            .collectAsList();
    Optional<RunRecord> recorded =
        rows.stream()
            .filter(r -> run.runId().equals(r.getAs(SYNC_RUN_ID)))
            .findFirst()
            .map(LogTables::runRecord);
    Optional<String> schema =
        rows.stream()
            .filter(r -> r.<Integer>getAs(LATEST) == 1)
            .findFirst()
            .map(r -> r.<String>getAs("model_schema"));
    long count = rows.isEmpty() ? 0 : rows.get(0).<Long>getAs(COUNT);
    lastRead = new SyncRuns(run, version, recorded, schema, count);
    return lastRead;
  }

  /**
   * The sync's runs as {@link #syncRuns} read them, while the runs table has not moved since;
   * always empty by name, where {@link #syncRuns} is not used.
   */
  private Optional<SyncRuns> readBefore(String syncId) {
    SyncRuns kept = lastRead;
    if (kept == null
        || !kept.run().syncId().equals(syncId)
        || kept.version() != session.version(RUNS)) {
      return Optional.empty();
    }
    return Optional.of(kept);
  }

  /**
   * The run's changelog rows, as one commit that Delta applies once per run ({@code txnAppId}): a
   * retry of a commit that did land is skipped. A run claimed afresh appends, touching no other
   * run's files; a run that may have written before (resumed, or recording a stored plan) replaces
   * its own rows, which also holds after the table forgot the run's transaction id ({@link
   * DeltaFeatures#TXN_RETENTION}).
   */
  void writeChangelog(RunLock lock, RunOutput output) {
    session.write("changelog", lock, () -> appendChangelog(lock, output));
  }

  private void appendChangelog(RunLock lock, RunOutput output) {
    DataFrameWriter<Row> writer =
        output
            .changelog()
            .write()
            .format("delta")
            .option("txnAppId", "synclog:" + lock.syncId() + ":" + lock.runId())
            .option("txnVersion", 0L)
            .option("mergeSchema", "true");
    if (lock.resumed() || lock.planned()) {
      writer =
          writer
              .mode("overwrite")
              .option("replaceWhere", DeltaStatements.changelogRun(output.runDate(), lock.run()));
    } else {
      writer = writer.mode("append");
    }
    session.tables().write(writer, "changelog");
  }

  /** The run's row, replacing one an earlier attempt wrote. */
  void writeRun(RunLock lock, RunOutput output) {
    session.write(RUNS, lock, () -> replaceRun(lock, output));
  }

  private void replaceRun(RunLock lock, RunOutput output) {
    Dataset<Row> run =
        session
            .spark()
            .createDataFrame(List.of(LogTables.runRow(output.run())), LogTables.runsSchema());
    session.replace(run, RUNS, DeltaStatements.runPredicate(lock.run()));
  }

  /**
   * Deletes the scope's runs older than the cutoff except each sync's latest, then the changelog
   * rows dated before the cutoff's date of runs no longer in the runs table: the kept runs keep
   * their rows.
   */
  PruneResult prune(Instant cutoff, PruneScope scope) {
    long runRows = staleRuns(cutoff, scope).count();
    Retry.onConflict(
        "prune " + session.display(RUNS),
        () -> session.sql(DeltaStatements.pruneRuns(session.sqlName(RUNS), cutoff, scope)));
    long changelogRows = writeChangelog ? pruneChangelog(cutoff, scope) : 0;
    return new PruneResult(changelogRows, runRows);
  }

  private long pruneChangelog(Instant cutoff, PruneScope scope) {
    long rows = 0;
    for (String where : DeltaStatements.pruneChangelog(cutoff, scope, keptRuns(cutoff, scope))) {
      rows += session.read("changelog").where(where).count();
      Retry.onConflict(
          "prune " + session.display("changelog"),
          () -> session.sql(DeltaStatements.delete(session.sqlName("changelog"), where)));
    }
    return rows;
  }

  /** The scope's runs older than the cutoff that prune kept, and the UTC date each started on. */
  private Map<SyncRun, LocalDate> keptRuns(Instant cutoff, PruneScope scope) {
    Map<SyncRun, LocalDate> kept = new LinkedHashMap<>();
    for (Row r :
        runsOf(scope)
            .where(col("started_at").lt(lit(Timestamp.from(cutoff))))
            .select(SYNC_ID, SYNC_RUN_ID, "started_at")
            .collectAsList()) {
      kept.put(
          new SyncRun(r.getString(0), r.getString(1)),
          LocalDate.ofInstant(r.getTimestamp(2).toInstant(), ZoneOffset.UTC));
    }
    return kept;
  }

  /** The runs {@link DeltaStatements#pruneRuns} deletes, to count them first. */
  private Dataset<Row> staleRuns(Instant cutoff, PruneScope scope) {
    return runsOf(scope)
        .withColumn(
            "newest",
            functions
                .row_number()
                .over(
                    Window.partitionBy(SYNC_ID)
                        .orderBy(col("started_at").desc(), col("recorded_at").desc())))
        .where(col("newest").gt(1).and(col("started_at").lt(lit(Timestamp.from(cutoff)))))
        .select(SYNC_ID, SYNC_RUN_ID);
  }

  /** The runs table's rows of the scope's syncs. */
  private Dataset<Row> runsOf(PruneScope scope) {
    Dataset<Row> runs = session.read(RUNS);
    return scope.sync().map(id -> runs.where(col(SYNC_ID).equalTo(id))).orElse(runs);
  }
}
