package io.synclog.sink.delta;

import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static org.apache.spark.sql.functions.col;

import io.synclog.log.LogTables;
import io.synclog.sink.RunLock;
import io.synclog.sql.SparkSql;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The plan store ({@code sync_plans}, partitioned by sync): the rows a planned run asks the sync
 * engine to send, kept until the run is recorded. A sync holds at most one plan, its lock holder's.
 */
final class DeltaPlans {
  private final DeltaSession session;

  DeltaPlans(DeltaSession session) {
    this.session = session;
  }

  /** Replaces the sync's stored plan with the run's. */
  void store(RunLock lock, Dataset<Row> planRows) {
    session.write(
        LogTables.PLANS,
        lock,
        () -> session.replace(planRows, LogTables.PLANS, SparkSql.eq(SYNC_ID, lock.syncId())));
  }

  /** The plan the run stored, when its lock says it stored one. */
  Optional<Dataset<Row>> stored(RunLock lock) {
    if (!lock.planned()) {
      return Optional.empty();
    }
    return Optional.of(
        session
            .read(LogTables.PLANS)
            .where(
                col(SYNC_ID).equalTo(lock.syncId()).and(col(SYNC_RUN_ID).equalTo(lock.runId()))));
  }

  void drop(RunLock lock) {
    session.write(
        LogTables.PLANS,
        lock,
        () ->
            session.sql(
                DeltaStatements.delete(
                    session.sqlName(LogTables.PLANS), SparkSql.eq(SYNC_ID, lock.syncId()))));
  }
}
