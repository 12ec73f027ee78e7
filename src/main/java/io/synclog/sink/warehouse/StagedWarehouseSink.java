package io.synclog.sink.warehouse;

import io.synclog.sink.FaultHook;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warehouse sink whose writes are stage, then swap: the run's changelog and snapshot rows (or its
 * plan) are bulk-loaded into per-run staging tables; then ONE transaction checks the run still
 * holds the sync, replaces the run's changelog rows (DELETE by sync and run, INSERT ... SELECT),
 * replaces the sync's snapshot (DELETE by sync, INSERT ... SELECT) and upserts the runs row.
 * Readers see the run entirely or not at all; a crash at any point leaves the previous state, and a
 * rerun repeats the whole commit. The staging tables are dropped however the commit ends.
 */
public abstract class StagedWarehouseSink extends JdbcWarehouseSink {
  private static final Logger LOG = LoggerFactory.getLogger(StagedWarehouseSink.class);

  /**
   * Extra fault boundary: inside the commit transaction, after every statement and before COMMIT,
   * so a test can show that a failure there leaves no trace.
   */
  public static final String BEFORE_COMMIT = "before-commit";

  /**
   * @param where the warehouse's address for messages, without secrets
   * @param writeChangelog whether the changelog is enabled
   */
  protected StagedWarehouseSink(
      WarehouseNames names,
      JdbcSession jdbc,
      WarehouseSql sql,
      WarehouseLocks locks,
      WarehouseCalls calls,
      String where,
      boolean writeChangelog) {
    super(names, jdbc, sql, locks, calls, where, writeChangelog);
  }

  /** Staging tables for one run's rows: how they are created and bulk-loaded. */
  protected abstract StagingTables staging(RunLock lock);

  @Override
  public RunLock storePlan(RunLock lock, Dataset<Row> planRows, String modelSchema) {
    calls.writing(
        WarehouseNames.PLANS,
        lock,
        () -> {
          try (StagingTables staging = staging(lock)) {
            String staged = staging.load(WarehouseNames.PLANS, planRows);
            return jdbc.inTransaction(
                c -> {
                  locks.checkHeld(c, lock);
                  jdbc.update(c, sql.storePlan(lock, staged, planRows.schema()));
                  locks.markPlanned(c, lock, modelSchema);
                  return null;
                });
          }
        });
    return lock.withPlan(modelSchema);
  }

  // ---- commit ------------------------------------------------------------------------------

  @Override
  public void commit(RunLock lock, RunOutput output, FaultHook hook) {
    calls.writing(
        "snapshot",
        lock,
        () -> {
          try (StagingTables staging = staging(lock)) {
            String changelog = null;
            if (writeChangelog) {
              addSplitGroupIfMissing("changelog", output.changelog().schema());
              changelog = staging.load("changelog", output.changelog());
            }
            hook.at(AFTER_CHANGELOG);
            addSplitGroupIfMissing("snapshot", output.snapshot().schema());
            String snapshot = staging.load("snapshot", output.snapshot());
            hook.at(AFTER_SNAPSHOT);
            List<SqlStatement> swap =
                sql.commit(
                    lock,
                    changelog,
                    output.changelog().schema(),
                    snapshot,
                    output.snapshot().schema(),
                    output.run());
            LOG.debug(
                "commit of sync '{}' run '{}':\n{}",
                lock.syncId(),
                lock.runId(),
                SqlStatement.joined(swap));
            return jdbc.inTransaction(
                c -> {
                  locks.checkHeld(c, lock);
                  jdbc.update(c, swap);
                  hook.at(BEFORE_COMMIT);
                  return null;
                });
          }
        });
    hook.at(AFTER_RUNS);
  }
}
