package io.synclog.sink.delta;

import io.synclog.sink.DeltaTarget;
import io.synclog.sink.SinkContractTest;
import io.synclog.sink.SinkTarget;

/** The sink contract on Delta tables in a local folder. */
class DeltaSinkContractTest extends SinkContractTest {
  @Override
  protected SinkTarget target() {
    return DeltaTarget.INSTANCE;
  }
}
