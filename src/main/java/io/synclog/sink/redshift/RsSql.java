package io.synclog.sink.redshift;

import static io.synclog.plan.Columns.SYNC_ID;

import io.synclog.sink.PruneScope;
import io.synclog.sink.warehouse.SqlStatement;
import io.synclog.sink.warehouse.WarehouseNames;
import io.synclog.sink.warehouse.WarehouseSql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Redshift's statements: the shared ones ({@link WarehouseSql}), with prune's DELETE of old runs as
 * a correlated EXISTS, since Redshift's DELETE takes neither an alias nor a subquery in USING.
 */
final class RsSql extends WarehouseSql {
  RsSql(WarehouseNames names) {
    super(names);
  }

  /**
   * Runs of the scope's syncs older than the cutoff, except each sync's latest: those with a newer
   * run of the sync.
   */
  @Override
  public SqlStatement pruneRuns(Instant cutoff, PruneScope scope) {
    String runs = q("runs");
    String bare = d.quote(names.table("runs"));
    String started = c("started_at");
    String recorded = c("recorded_at");
    List<Object> params = new ArrayList<>();
    params.add(cutoff);
    return new SqlStatement(
        "DELETE FROM "
            + runs
            + " WHERE "
            + started
            + " < ?"
            + syncIs(scope, "AND", params)
            + " AND EXISTS (SELECT 1 FROM "
            + runs
            + " n WHERE n."
            + c(SYNC_ID)
            + " = "
            + bare
            + "."
            + c(SYNC_ID)
            + " AND (n."
            + started
            + " > "
            + bare
            + "."
            + started
            + " OR (n."
            + started
            + " = "
            + bare
            + "."
            + started
            + " AND n."
            + recorded
            + " > "
            + bare
            + "."
            + recorded
            + ")))",
        params);
  }
}
