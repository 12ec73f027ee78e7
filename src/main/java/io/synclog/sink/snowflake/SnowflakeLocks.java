package io.synclog.sink.snowflake;

import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;

import io.synclog.log.SyncRun;
import io.synclog.sink.RunLock;
import io.synclog.sink.warehouse.Dialect;
import io.synclog.sink.warehouse.SqlStatement;
import io.synclog.sink.warehouse.WarehouseLocks;
import io.synclog.sink.warehouse.WarehouseNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Snowflake enforces no unique keys, so a claim is one MERGE that inserts the sync's lock row only
 * when the sync has none; MERGEs on one table are serialised by Snowflake's table lock, so of two
 * runs claiming a sync exactly one inserts.
 */
final class SnowflakeLocks extends WarehouseLocks {
  SnowflakeLocks(SnowflakeNames names) {
    super(names);
  }

  /** Inserts the sync's lock row unless one exists. */
  SqlStatement claim(SyncRun run, Instant startedAt, Instant now) {
    Dialect d = names.dialect();
    String cols = "SYNC_ID, SYNC_RUN_ID, PHASE, BASE_VERSION, STARTED_AT, CLAIMED_AT";
    List<String> quoted = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (String col : cols.split(", ")) {
      quoted.add(c(col));
      values.add("s." + c(col));
    }
    return SqlStatement.of(
        "MERGE INTO "
            + names.qualified(WarehouseNames.LOCKS)
            + " t USING (SELECT ? AS "
            + c(SYNC_ID)
            + ", ? AS "
            + c(SYNC_RUN_ID)
            + ", ? AS "
            + c("phase")
            + ", 0 AS "
            + c("base_version")
            + ", "
            + d.timestampParam()
            + " AS "
            + c("started_at")
            + ", "
            + d.timestampParam()
            + " AS "
            + c("claimed_at")
            + ") s ON t."
            + c(SYNC_ID)
            + " = s."
            + c(SYNC_ID)
            + " WHEN NOT MATCHED THEN INSERT ("
            + String.join(", ", quoted)
            + ") VALUES ("
            + String.join(", ", values)
            + ")",
        run.syncId(),
        run.runId(),
        RunLock.RECORDING,
        d.timestamp(startedAt),
        d.timestamp(now));
  }

  @Override
  protected List<SqlStatement> claimStatements(SyncRun run, Instant startedAt, Instant now) {
    return List.of(claim(run, startedAt, now));
  }
}
