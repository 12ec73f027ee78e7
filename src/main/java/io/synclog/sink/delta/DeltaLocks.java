package io.synclog.sink.delta;

import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static org.apache.spark.sql.functions.col;

import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import io.synclog.log.SyncRun;
import io.synclog.sink.RunLock;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ConcurrentModificationException;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The lock table ({@code _synclog_locks}, partitioned by sync): a row per sync held by a run, which
 * keeps two runs of one sync apart and remembers the snapshot version the run diffs against, so
 * that its rerun reads the snapshot back as it was. By path a claim is one transaction on the
 * table's log ({@link io.synclog.sink.delta.log.TransactionLog#claim}); by name it is a {@code
 * MERGE}, which inserts the row unless the sync has one.
 */
final class DeltaLocks {
  static final String TABLE = "_synclog_locks";

  static final StructType SCHEMA =
      new StructType()
          .add(SYNC_ID, DataTypes.StringType)
          .add(SYNC_RUN_ID, DataTypes.StringType)
          .add("phase", DataTypes.StringType)
          .add("base_version", DataTypes.LongType)
          .add("started_at", DataTypes.TimestampType)
          .add("claimed_at", DataTypes.TimestampType)
          .add("model_schema", DataTypes.StringType);

  private final DeltaSession session;

  DeltaLocks(DeltaSession session) {
    this.session = session;
  }

  /** Claims the sync for the run, or resumes the run's own claim; refuses another run's. */
  RunLock acquire(SyncRun run, Instant startedAt) {
    Optional<String> locks = session.byLog(TABLE);
    if (locks.isPresent()) {
      return acquireByPath(locks.get(), run, startedAt);
    }
    Optional<Row> held = row(run.syncId());
    if (held.isPresent()) {
      return resumeOrFail(held.get(), run);
    }
    return acquireBySql(run, startedAt);
  }

  /** The claim as a {@code MERGE}, then the row read back: the claim that landed holds the sync. */
  private RunLock acquireBySql(SyncRun run, Instant startedAt) {
    long base = session.version("snapshot");
    String claim =
        DeltaStatements.claim(
            session.sqlName(TABLE), run, RunLock.RECORDING, base, startedAt, Instant.now());
    try {
      session.sql(claim);
    } catch (ConcurrentModificationException e) {
      throw concurrentRun(run);
    }
    Row now = row(run.syncId()).orElseThrow(() -> concurrentRun(run));
    return ownOrFail(now, run, false);
  }

  /** The claim as one transaction on the lock table's log. */
  private RunLock acquireByPath(String locks, SyncRun run, Instant startedAt) {
    Instant started = startedAt.truncatedTo(ChronoUnit.MICROS);
    long base = session.version("snapshot");
    Row row =
        RowFactory.create(
            run.syncId(),
            run.runId(),
            RunLock.RECORDING,
            base,
            Timestamp.from(started),
            Timestamp.from(Instant.now()),
            null);
    boolean claimed;
    try {
      claimed = session.log().claim(locks, run.syncId(), row, SCHEMA);
    } catch (ConcurrentModificationException e) {
      throw concurrentRun(run);
    }
    if (claimed) {
      return new RunLock(run, RunLock.RECORDING, base, started, null, false);
    }
    Row held = row(run.syncId()).orElseThrow(() -> concurrentRun(run));
    return resumeOrFail(held, run);
  }

  /**
   * A run finding its own lock resumes an interrupted attempt, unless it only finds the plan it
   * stored: that is the normal way from plan to record.
   */
  private RunLock resumeOrFail(Row held, SyncRun run) {
    boolean resumed = !RunLock.PLANNED.equals(held.getAs("phase"));
    return ownOrFail(held, run, resumed);
  }

  private RunLock ownOrFail(Row row, SyncRun run, boolean resumed) {
    String holder = row.getAs(SYNC_RUN_ID);
    if (!holder.equals(run.runId())) {
      throw Errors.runInProgress(
          run,
          holder,
          RunLock.PLANNED.equals(row.getAs("phase"))
              ? "planned but not recorded yet"
              : "being recorded, or was interrupted",
          session.display(TABLE));
    }
    return toLock(row, resumed);
  }

  private SyncLogException concurrentRun(SyncRun run) {
    return Errors.concurrentRun(run, session.display(TABLE));
  }

  /** Marks the run's lock planned, with the schema of the model its stored plan was made from. */
  void markPlanned(RunLock lock, String modelSchema) {
    session.write(
        TABLE,
        lock,
        () ->
            session.sql(
                DeltaStatements.markPlanned(
                    session.sqlName(TABLE), lock.run(), RunLock.PLANNED, modelSchema)));
  }

  /**
   * Deletes the run's lock row. By path, a lock this sink claimed is released by removing the file
   * its claim added, without reading the table ({@link
   * io.synclog.sink.delta.log.TransactionLog#releaseClaim}); otherwise, or when that file no longer
   * holds the row, by a {@code DELETE}.
   */
  void release(RunLock lock) {
    String predicate = DeltaStatements.runPredicate(lock.run());
    Optional<String> locks = session.byLog(TABLE);
    session.write(
        TABLE,
        lock,
        () -> {
          if (locks.isPresent() && session.log().releaseClaim(locks.get(), lock.run(), predicate)) {
            return;
          }
          session.sql(DeltaStatements.delete(session.sqlName(TABLE), predicate));
        });
  }

  /** The sync's lock, as a rerun of its holder would resume it. */
  Optional<RunLock> held(String syncId) {
    return row(syncId).map(row -> toLock(row, true));
  }

  private Optional<Row> row(String syncId) {
    return session.read(TABLE).where(col(SYNC_ID).equalTo(syncId)).limit(1).collectAsList().stream()
        .findFirst();
  }

  private static RunLock toLock(Row row, boolean resumed) {
    return new RunLock(
        new SyncRun(row.getAs(SYNC_ID), row.getAs(SYNC_RUN_ID)),
        row.getAs("phase"),
        row.<Long>getAs("base_version"),
        row.<Timestamp>getAs("started_at").toInstant(),
        row.getAs("model_schema"),
        resumed);
  }
}
