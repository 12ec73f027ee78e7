package io.synclog.sink.delta;

import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import io.synclog.log.LogTables;
import org.apache.spark.sql.types.StructType;

/**
 * Creates the sink's tables that do not exist yet, with the layout and properties {@link
 * DeltaFeatures} gives new tables. Existing tables are left as they are.
 */
final class DeltaTableSetup {
  /**
   * Serialises table creation inside this JVM: two syncs recorded at once by one driver would
   * otherwise race on Delta's cached view of a table that is half created.
   */
  private static final Object CREATING = new Object();

  private static final int CREATE_ATTEMPTS = 3;

  private final DeltaSession session;
  private final DeltaFeatures features;
  private final boolean writeChangelog;

  DeltaTableSetup(DeltaSession session, DeltaFeatures features, boolean writeChangelog) {
    this.session = session;
    this.features = features;
    this.writeChangelog = writeChangelog;
  }

  void prepare() {
    session.tables().prepareNamespace();
    if (writeChangelog) {
      create("changelog", LogTables.changelogSchema(false));
    }
    create("snapshot", LogTables.snapshotSchema(false));
    create("runs", LogTables.runsSchema());
    create(LogTables.PLANS, LogTables.planSchema());
    create(DeltaLocks.TABLE, DeltaLocks.SCHEMA);
  }

  /** Creates the table unless it exists, also when another job creates it at the same moment. */
  private void create(String logical, StructType schema) {
    String ddl =
        DeltaStatements.createTable(
            session.sqlName(logical),
            schema,
            features.layout(logical),
            features.properties(logical));
    synchronized (CREATING) {
      for (int attempt = 1; ; attempt++) {
        try {
          Retry.onConflict(
              "create " + session.display(logical), () -> createIfMissing(logical, ddl));
          return;
        } catch (Exception e) {
          // Another job may have created it first, whatever Delta called that race.
          if (session.tables().exists(logical)) {
            return;
          }
          if (attempt >= CREATE_ATTEMPTS) {
            throw creationFailed(logical, e);
          }
          sleepQuietly(200L * attempt);
        }
      }
    }
  }

  private void createIfMissing(String logical, String ddl) {
    if (!session.tables().exists(logical)) {
      session.sql(ddl);
    }
  }

  private SyncLogException creationFailed(String logical, Exception cause) {
    return Errors.warehouseFailed(
        "Delta Lake",
        "create table " + session.display(logical),
        session.tables().describe(),
        "Check that synclog may create tables there (target.location, or target.catalog"
            + " and target.schema).",
        cause);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
