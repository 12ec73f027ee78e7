package io.synclog.sink.delta;

import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.synclog.log.LogTables;
import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import io.synclog.sink.PruneResult;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
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
  private final DeltaSession session;
  private final boolean writeChangelog;

  DeltaRunLog(DeltaSession session, boolean writeChangelog) {
    this.session = session;
    this.writeChangelog = writeChangelog;
  }

  /** The runs row of a run, once it is recorded. */
  Optional<RunRecord> recorded(SyncRun run) {
    List<Row> rows =
        session
            .read("runs")
            .where(col(SYNC_ID).equalTo(run.syncId()).and(col(SYNC_RUN_ID).equalTo(run.runId())))
            .limit(1)
            .collectAsList();
    return rows.stream().findFirst().map(LogTables::runRecord);
  }

  Optional<String> lastModelSchema(String syncId) {
    List<Row> rows =
        session
            .read("runs")
            .where(col(SYNC_ID).equalTo(syncId))
            .orderBy(col("started_at").desc(), col("recorded_at").desc())
            .select("model_schema")
            .limit(1)
            .collectAsList();
    return rows.stream().findFirst().map(r -> r.getString(0));
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
    session.write("runs", lock, () -> replaceRun(lock, output));
  }

  private void replaceRun(RunLock lock, RunOutput output) {
    Dataset<Row> run =
        session
            .spark()
            .createDataFrame(List.of(LogTables.runRow(output.run())), LogTables.runsSchema());
    session.replace(run, "runs", DeltaStatements.runPredicate(lock.run()));
  }

  /** Deletes changelog rows and runs older than the cutoff, keeping each sync's latest run. */
  PruneResult prune(Instant cutoff) {
    long changelogRows = writeChangelog ? pruneChangelog(cutoff) : 0;
    long runRows = staleRuns(cutoff).count();
    Retry.onConflict(
        "prune " + session.display("runs"),
        () -> session.sql(DeltaStatements.pruneRuns(session.sqlName("runs"), cutoff)));
    return new PruneResult(changelogRows, runRows);
  }

  private long pruneChangelog(Instant cutoff) {
    String where = DeltaStatements.changelogBefore(cutoff);
    long rows = session.read("changelog").where(where).count();
    Retry.onConflict(
        "prune " + session.display("changelog"),
        () -> session.sql(DeltaStatements.delete(session.sqlName("changelog"), where)));
    return rows;
  }

  /** The runs {@link DeltaStatements#pruneRuns} deletes, to count them first. */
  private Dataset<Row> staleRuns(Instant cutoff) {
    return session
        .read("runs")
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
}
