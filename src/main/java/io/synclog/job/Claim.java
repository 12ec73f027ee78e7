package io.synclog.job;

import io.synclog.log.SyncRun;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.RunLock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * How {@code plan} and {@code record} claim a sync. A run of a sync nobody holds does its checks
 * (schema, keys, statuses) before the claim, so a refused run writes nothing at all, not even to
 * the lock table. The checks only read; the claim then confirms, by the sink's commit mark, that no
 * run of the sync committed in between, or their work is dropped and done again under the claim. A
 * run that holds the sync already (its stored plan, an interrupted attempt it resumes) does its
 * checks under that claim, against what it holds.
 *
 * @param <W> the work the checks produce (a diffed plan), holding cached data until closed
 */
final class Claim<W extends Claim.Work> {
  /** Work done before or after the claim; closing it frees what it cached. */
  interface Work extends AutoCloseable {
    @Override
    void close();
  }

  private final RunLock lock;
  private final W checked;

  private Claim(RunLock lock, W checked) {
    this.lock = lock;
    this.checked = checked;
  }

  /**
   * Checks the run with {@code check} before the claim when nobody holds the sync, then claims it.
   *
   * @param check the run's checks against the sync as a lock shows it; throws to refuse the run
   */
  static <W extends Work> Claim<W> checkThenClaim(
      LogSink sink,
      SyncRun run,
      Instant startedAt,
      StageClock clock,
      FaultHook hook,
      Function<RunLock, W> check) {
    W early = null;
    String mark = null;
    if (clock.time("check lock", () -> sink.heldLock(run.syncId())).isEmpty()) {
      mark = sink.commitMark(run.syncId());
      early = check.apply(new RunLock(run, RunLock.RECORDING, -1, startedAt, null, false));
    }
    try {
      RunLock lock = clock.time("claim sync", () -> sink.acquire(run, startedAt));
      if (early != null
          && (lock.resumed() || lock.planned() || !mark.equals(sink.commitMark(run.syncId())))) {
        early.close();
        early = null;
      }
      hook.at(LogSink.AFTER_LOCK);
      return new Claim<>(lock, early);
    } catch (RuntimeException e) {
      if (early != null) {
        early.close();
      }
      throw e;
    }
  }

  /** The run's claim on its sync. */
  RunLock lock() {
    return lock;
  }

  /** The checks' work when it was done before the claim and still holds; else do it now. */
  Optional<W> checked() {
    return Optional.ofNullable(checked);
  }
}
