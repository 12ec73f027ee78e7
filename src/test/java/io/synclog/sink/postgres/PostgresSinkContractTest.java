package io.synclog.sink.postgres;

import io.synclog.sink.SinkContractTest;
import io.synclog.sink.SinkTarget;
import java.util.List;

/** The sink contract on a real PostgreSQL server. */
class PostgresSinkContractTest extends SinkContractTest {
  @Override
  protected SinkTarget target() {
    return PostgresTarget.INSTANCE;
  }

  @Override
  protected List<String> extraBoundaries() {
    return List.of(PostgresLogSink.BEFORE_COMMIT);
  }
}
