package io.synclog.sink.delta.databricks;

import io.synclog.sink.SinkContractTest;
import io.synclog.sink.SinkTarget;

/**
 * The sink contract on Delta tables addressed by name in a metastore catalog, as {@code
 * target.kind=databricks} addresses them in Unity Catalog or the Hive metastore.
 */
class DatabricksSinkContractTest extends SinkContractTest {
  @Override
  protected SinkTarget target() {
    return DatabricksTarget.INSTANCE;
  }
}
