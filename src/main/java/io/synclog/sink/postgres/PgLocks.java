package io.synclog.sink.postgres;

import static io.synclog.plan.Columns.SYNC_ID;

import io.synclog.log.SyncRun;
import io.synclog.sink.RunLock;
import io.synclog.sink.warehouse.SqlStatement;
import io.synclog.sink.warehouse.WarehouseLocks;
import io.synclog.sink.warehouse.WarehouseNames;
import java.time.Instant;
import java.util.List;

/**
 * Postgres claims a sync with one {@code INSERT ... ON CONFLICT DO NOTHING} on the lock table's
 * primary key, so of two runs of a sync exactly one inserts the row.
 */
final class PgLocks extends WarehouseLocks {
  PgLocks(WarehouseNames names) {
    super(names);
  }

  @Override
  protected List<SqlStatement> claimStatements(SyncRun run, Instant startedAt, Instant now) {
    return List.of(
        SqlStatement.of(
            "INSERT INTO "
                + names.qualified(WarehouseNames.LOCKS)
                + " ("
                + claimColumns()
                + ") VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT ("
                + c(SYNC_ID)
                + ") DO NOTHING",
            run.syncId(),
            run.runId(),
            RunLock.RECORDING,
            startedAt,
            now));
  }
}
