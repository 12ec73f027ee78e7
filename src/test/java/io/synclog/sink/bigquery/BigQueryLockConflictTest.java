package io.synclog.sink.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.config.Secret;
import io.synclog.log.SyncRun;
import io.synclog.sink.RunLock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock table is shared by every sync of a dataset, so releasing a sync is a transaction that
 * can meet another sync's (both delete lock rows): BigQuery then cancels one of them. Played on the
 * executing stub, where another transaction holds the lock table for a moment: the release must be
 * run again, not fail a run that is already recorded and leave its sync locked.
 */
class BigQueryLockConflictTest {
  @TempDir Path dir;
  private BigQueryStub stub;
  private BigQueryLogSink sink;
  private String dataset;
  private static int counter;

  @BeforeEach
  void start() throws Exception {
    stub = new BigQueryStub(new PgWarehouse(dir));
    dataset = "bq_lock_conflict_" + (++counter) + "_" + System.nanoTime() % 100000;
    BigQuerySettings s =
        new BigQuerySettings(
            "stub-proj",
            "stub-proj",
            dataset,
            "oauth",
            null,
            null,
            Secret.of("t0k3n"),
            "indirect",
            "b12/x",
            stub.endpoint());
    sink =
        new BigQueryLogSink(
            null,
            s,
            BigQuerySqlTest.PHYSICAL,
            true,
            new BqRest(s.restEndpoint(), s.parentProject(), BqAuth.of(s, Map.of())));
    sink.prepare();
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  @Test
  void aReleaseCancelledByAnotherSyncsTransactionIsRunAgain() throws Exception {
    RunLock lock = sink.acquire(new SyncRun("s1", "r1"), Instant.parse("2026-03-01T10:00:00Z"));
    String locks = PgWarehouse.pgName(dataset, BqNames.LOCKS);
    try (Connection other = PgWarehouse.connect()) {
      other.setAutoCommit(false);
      try (Statement st = other.createStatement()) {
        // another sync's release, still running
        st.execute("DELETE FROM " + locks + " WHERE sync_id = 's2'");
      }
      Thread done =
          new Thread(
              () -> {
                try {
                  Thread.sleep(1500);
                  other.rollback();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      done.start();
      sink.release(lock);
      done.join();
    }
    assertThat(sink.heldLock("s1")).isEmpty();
    assertThat(stub.queries().stream().filter(q -> q.contains("BEGIN TRANSACTION")))
        .as("the release, cancelled, then run again")
        .hasSizeGreaterThanOrEqualTo(2);
  }
}
