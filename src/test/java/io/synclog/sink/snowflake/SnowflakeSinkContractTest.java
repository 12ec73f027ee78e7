package io.synclog.sink.snowflake;

import io.synclog.sink.SinkContractTest;
import io.synclog.sink.SinkTarget;
import java.util.List;

/**
 * The sink contract for Snowflake, offline: the whole sink, its SQL translated for the embedded
 * PostgreSQL stand-in (see {@link SnowflakeOnPostgres}).
 */
class SnowflakeSinkContractTest extends SinkContractTest {
  @Override
  protected SinkTarget target() {
    return SnowflakeSinkOnPostgresTest.TARGET;
  }

  @Override
  protected List<String> extraBoundaries() {
    return List.of(SnowflakeLogSink.BEFORE_COMMIT);
  }
}
