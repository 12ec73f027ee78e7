package io.synclog.sink.delta;

import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.UNCHANGED;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.synclog.log.SnapshotChange;
import io.synclog.log.SyncRun;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import io.synclog.sink.delta.log.TransactionLog;
import io.synclog.sql.Pinned;
import io.synclog.sql.SparkSql;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot table: a sync's rows read back as the run claimed them, and written anew by each
 * run, whole or by its changes ({@link SnapshotWrite} decides, and says why in the job log). Every
 * write is one commit carrying the run's transaction id, so a rerun of a run whose snapshot landed
 * writes nothing.
 */
final class DeltaSnapshots {
  private static final Logger LOG = LoggerFactory.getLogger("io.synclog");
  private static final String SNAPSHOT = "snapshot";

  private final DeltaSession session;
  private final DeltaFeatures features;
  private final DeltaRunLog runLog;
  private final int rewriteRuns;

  DeltaSnapshots(
      DeltaSession session, DeltaFeatures features, DeltaRunLog runLog, int rewriteRuns) {
    this.session = session;
    this.runLog = runLog;
    this.features = features;
    this.rewriteRuns = rewriteRuns;
  }

  /** The transaction id a run's snapshot commit carries, whole or by changes. */
  static String appId(SyncRun run) {
    return "synclog-snapshot:" + run.syncId() + ":" + run.runId();
  }

  /**
   * The sync's rows as the run claimed them. A run holding the lock is the only writer of its
   * sync's rows, so the table's latest version holds them as they were at the claim, whatever other
   * syncs wrote since; only a resumed run, whose earlier attempt may have written them, reads the
   * version it claimed at (time travel, which replays the log to that version).
   */
  Dataset<Row> previous(RunLock lock) {
    Dataset<Row> snapshot =
        lock.resumed()
            ? session.sql(
                DeltaStatements.syncAsOf(
                    session.sqlName(SNAPSHOT), lock.baseVersion(), lock.syncId()))
            : session.read(SNAPSHOT).where(col(SYNC_ID).equalTo(lock.syncId()));
    if (!List.of(snapshot.columns()).contains(SPLIT_GROUP)) {
      snapshot = snapshot.withColumn(SPLIT_GROUP, lit(null).cast("string"));
    }
    return snapshot;
  }

  /** Writes the sync's next snapshot as one step of the run. */
  void write(RunLock lock, RunOutput output) {
    Dataset<Row> changes =
        output.snapshotChanges() == null ? null : Pinned.pin(output.snapshotChanges());
    try {
      SnapshotWrite.Decision decision = decide(lock, output, changes);
      LOG.info(
          "sync '{}' run '{}': snapshot written {} ({})",
          lock.syncId(),
          lock.runId(),
          switch (decision.method()) {
            case WHOLE -> "whole";
            case MERGE -> "by changes (MERGE)";
            case COMMIT -> "by changes (deletion vectors)";
          },
          decision.reason());
      session.write(SNAPSHOT, lock, () -> write(lock, output, changes, decision));
    } finally {
      if (changes != null) {
        Pinned.release(changes);
      }
    }
  }

  private void write(
      RunLock lock, RunOutput output, Dataset<Row> changes, SnapshotWrite.Decision decision) {
    switch (decision.method()) {
      case WHOLE -> writeWhole(lock, output.snapshot());
      case MERGE -> merge(lock, changes, decision.broadcastChanges());
      case COMMIT -> commitChanges(lock, changes, decision.broadcastChanges());
    }
  }

  /** A {@code replaceWhere} on the sync, applied once per run. */
  private void writeWhole(RunLock lock, Dataset<Row> snapshot) {
    session
        .tables()
        .write(
            snapshot
                .write()
                .format("delta")
                .mode("overwrite")
                .option("replaceWhere", SparkSql.eq(SYNC_ID, lock.syncId()))
                .option("mergeSchema", "true")
                .option("txnAppId", appId(lock.run()))
                .option("txnVersion", 0L),
            SNAPSHOT);
  }

  /** Applies the run's snapshot changes in one MERGE (see {@link SnapshotWrite}). */
  private void merge(RunLock lock, Dataset<Row> changes, boolean broadcast) {
    String view = "synclog_snapshot_changes_" + UUID.randomUUID().toString().replace("-", "");
    changes.createOrReplaceTempView(view);
    try {
      List<String> columns =
          Arrays.stream(changes.schema().fieldNames())
              .filter(c -> !c.equals(SnapshotChange.SNAPSHOT_CHANGE))
              .toList();
      session.sql(
          SnapshotWrite.merge(session.sqlName(SNAPSHOT), view, lock.syncId(), columns, broadcast));
    } finally {
      session.spark().catalog().dropTempView(view);
    }
  }

  /** Applies the run's snapshot changes in synclog's own commit on the table's log. */
  private void commitChanges(RunLock lock, Dataset<Row> changes, boolean broadcast) {
    session
        .log()
        .commitChanges(
            session.byLog(SNAPSHOT).orElseThrow(),
            lock.syncId(),
            appId(lock.run()),
            changes,
            broadcast)
        .ifPresentOrElse(
            r ->
                LOG.info(
                    "sync '{}' run '{}': snapshot version {}: {} rows marked deleted in {}"
                        + " files, {} rows appended",
                    lock.syncId(),
                    lock.runId(),
                    r.version(),
                    r.deletedRows(),
                    r.touchedFiles(),
                    r.appendedRows()),
            () ->
                LOG.info(
                    "sync '{}' run '{}': snapshot already written by an earlier attempt",
                    lock.syncId(),
                    lock.runId()));
  }

  private SnapshotWrite.Decision decide(RunLock lock, RunOutput output, Dataset<Row> changes) {
    if (!features.deletionVectors()) {
      return new SnapshotWrite.Decision("target.deletion-vectors is off for these tables");
    }
    Optional<String> location = session.byLog(SNAPSHOT);
    SnapshotWrite.Method method =
        location.isPresent() ? SnapshotWrite.Method.COMMIT : SnapshotWrite.Method.MERGE;
    if (changes == null) {
      return SnapshotWrite.decide(
          method, false, Optional.empty(), List.of(), 0, rewriteRuns, () -> null);
    }
    return SnapshotWrite.decide(
        method,
        true,
        location.isPresent() ? session.log().unusableForChanges(location.get()) : unusableByName(),
        SnapshotWrite.missingColumns(changes.schema(), session.read(SNAPSHOT).schema()),
        runLog.count(lock.syncId()),
        rewriteRuns,
        () ->
            location.isPresent()
                ? commitSizes(lock, location.get(), changes)
                : snapshotSizes(lock, output));
  }

  /** A table by name takes a MERGE by changes when it has deletion vectors. */
  private Optional<String> unusableByName() {
    Row detail = session.sql(DeltaStatements.detail(session.sqlName(SNAPSHOT))).head();
    Map<String, String> properties = detail.getJavaMap(detail.fieldIndex("properties"));
    return "true".equalsIgnoreCase(properties.get(DeltaFeatures.DELETION_VECTORS))
        ? Optional.empty()
        : Optional.of("the table has no deletion vectors");
  }

  /** From the Delta log's statistics, and the count of the (persisted) changes. */
  private SnapshotWrite.Sizes commitSizes(RunLock lock, String location, Dataset<Row> changes) {
    TransactionLog.Stats stats = session.log().stats(location, lock.syncId());
    return new SnapshotWrite.Sizes(stats.liveRows(), changes.count(), stats.deletedRows());
  }

  /**
   * One pass over the previous snapshot's op_type column: its rows, and those the previous run
   * planned (they become unchanged now) plus this run's planned rows.
   */
  private SnapshotWrite.Sizes snapshotSizes(RunLock lock, RunOutput output) {
    Row sizes =
        previous(lock)
            .agg(
                functions.count(lit(1)),
                functions.count(functions.when(col(OP_TYPE).notEqual(UNCHANGED), lit(1))))
            .head();
    return new SnapshotWrite.Sizes(
        sizes.getLong(0), sizes.getLong(1) + output.run().counts().totalPlanned());
  }
}
