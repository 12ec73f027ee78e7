package io.synclog.sink.bigquery;

import io.synclog.error.Errors;
import io.synclog.log.SyncRun;
import io.synclog.sink.RunLock;
import io.synclog.sink.warehouse.WarehouseCalls;
import io.synclog.sink.warehouse.WarehouseLocks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lock protocol on BigQuery, which has no row locks. A run claims its sync by inserting the
 * sync's lock row only if none exists, then reads the sync's lock rows back: if two runs raced and
 * both inserted, each sees two rows, withdraws its own and fails, so at most one run ever holds a
 * sync. Otherwise the one row names the holder, checked as every warehouse does ({@link
 * WarehouseLocks#mine(io.synclog.sink.warehouse.WarehouseNames, RunLock, SyncRun)}). The commit's
 * transaction asserts the lock is still held ({@link BqSql#assertLock}).
 */
final class BqLocks {
  private final BqNames names;
  private final BqRest rest;
  private final WarehouseCalls calls;

  BqLocks(BqNames names, BqRest rest, WarehouseCalls calls) {
    this.names = names;
    this.rest = rest;
    this.calls = calls;
  }

  /** Claims the sync for the run, or resumes the run's earlier claim. */
  RunLock acquire(SyncRun run, Instant startedAt) {
    List<BqParam> params = BigQueryLogSink.ids(run);
    params.add(new BqParam("started_at", "TIMESTAMP", BqValues.timestamp(startedAt)));
    long inserted =
        calls
            .writing(BqNames.LOCKS, null, () -> rest.query(BqSql.claim(names), params))
            .affectedRows();
    List<RunLock> held = locks(run.syncId(), inserted == 0);
    if (held.size() > 1 && inserted > 0) {
      // two runs inserted at once: both step back, neither holds the sync
      withdraw(BqSql.releaseBody(names, false), run, null);
    }
    if (held.size() != 1) {
      throw Errors.concurrentRun(run, names.display(BqNames.LOCKS));
    }
    return WarehouseLocks.mine(names, held.get(0), run);
  }

  /** The run that holds the sync, if any. */
  Optional<RunLock> held(String syncId) {
    return locks(syncId, true).stream().findFirst();
  }

  /** Drops the sync's stored plan and the run's lock row. */
  void release(RunLock lock) {
    withdraw(BqSql.releaseBody(names, true), lock.run(), lock);
  }

  private void withdraw(List<String> body, SyncRun run, RunLock lock) {
    calls.writing(
        BqNames.LOCKS,
        lock,
        () -> rest.transaction(BqSql.transaction(List.of(), body), BigQueryLogSink.ids(run)));
  }

  private List<RunLock> locks(String syncId, boolean resumed) {
    BqRest.Result r =
        calls.reading(
            BqNames.LOCKS, () -> rest.query(BqSql.locksOf(names), BigQueryLogSink.ids(syncId)));
    List<RunLock> out = new ArrayList<>();
    for (List<String> row : r.rows()) {
      out.add(
          new RunLock(
              new SyncRun(row.get(0), row.get(1)),
              row.get(2),
              Long.parseLong(row.get(3)),
              BqValues.instant(row.get(4)),
              row.get(5),
              resumed));
    }
    return out;
  }
}
