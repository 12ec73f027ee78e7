package io.synclog.sink.redshift;

import static io.synclog.plan.Columns.SYNC_ID;

import io.synclog.log.SyncRun;
import io.synclog.sink.RunLock;
import io.synclog.sink.warehouse.Dialect;
import io.synclog.sink.warehouse.SqlStatement;
import io.synclog.sink.warehouse.WarehouseLocks;
import io.synclog.sink.warehouse.WarehouseNames;
import java.time.Instant;
import java.util.List;

/**
 * Redshift enforces no unique keys and has no {@code ON CONFLICT}, so a claim, inside the acquiring
 * transaction, takes the lock table's exclusive lock ({@code LOCK}, held until commit), then
 * inserts the sync's row only when there is none: of two runs of a sync, exactly one inserts.
 */
final class RsLocks extends WarehouseLocks {
  RsLocks(WarehouseNames names) {
    super(names);
  }

  @Override
  protected List<SqlStatement> claimStatements(SyncRun run, Instant startedAt, Instant now) {
    Dialect d = names.dialect();
    String locks = names.qualified(WarehouseNames.LOCKS);
    return List.of(
        SqlStatement.of("LOCK " + locks),
        SqlStatement.of(
            "INSERT INTO "
                + locks
                + " ("
                + claimColumns()
                + ") SELECT ?, ?, ?, 0, "
                + d.timestampParam()
                + ", "
                + d.timestampParam()
                + " WHERE NOT EXISTS (SELECT 1 FROM "
                + locks
                + " WHERE "
                + c(SYNC_ID)
                + " = ?)",
            run.syncId(),
            run.runId(),
            RunLock.RECORDING,
            d.timestamp(startedAt),
            d.timestamp(now),
            run.syncId()));
  }
}
