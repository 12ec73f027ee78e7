package io.synclog.sink;

/** The sink contract on Delta tables in a local folder. */
class DeltaSinkContractTest extends SinkContractTest {
  @Override
  protected SinkTarget target() {
    return DeltaTarget.INSTANCE;
  }
}
