package io.synclog.sink.bigquery;

import io.synclog.sink.SinkContractTest;
import io.synclog.sink.SinkTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The sink contract for BigQuery, offline: the sink exactly as synclog opens it (indirect writes),
 * against the stand-in of {@link BigQueryOnPostgres}, which executes every request on the embedded
 * PostgreSQL server.
 */
class BigQuerySinkContractTest extends SinkContractTest {
  @BeforeAll
  static void start() throws Exception {
    BigQueryOnPostgres.start();
  }

  @AfterAll
  static void stop() {
    BigQueryOnPostgres.stop();
  }

  @Override
  protected SinkTarget target() {
    return BigQueryOnPostgres.TARGET;
  }
}
