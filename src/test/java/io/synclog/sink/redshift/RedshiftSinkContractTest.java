package io.synclog.sink.redshift;

import io.synclog.sink.SinkContractTest;
import io.synclog.sink.SinkTarget;

/**
 * The sink contract for Redshift, offline: the whole sink through the connector stand-in, on the
 * embedded PostgreSQL server with the Redshift shims (see {@link RedshiftTarget}).
 */
class RedshiftSinkContractTest extends SinkContractTest {
  @Override
  protected SinkTarget target() {
    return RedshiftTarget.INSTANCE;
  }
}
