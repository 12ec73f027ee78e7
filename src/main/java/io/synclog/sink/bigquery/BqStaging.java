package io.synclog.sink.bigquery;

import io.synclog.sink.RunLock;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's staging tables: loaded by the connector (replacing what an interrupted attempt left),
 * given a day to live by the commit script, and dropped when the run's write ends, successfully or
 * not. Used in try-with-resources.
 */
final class BqStaging implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BqStaging.class);

  private final BigQuerySettings settings;
  private final BqNames names;
  private final BqRest rest;
  private final RunLock lock;
  private final List<String> created = new ArrayList<>();

  BqStaging(BigQuerySettings settings, BqNames names, BqRest rest, RunLock lock) {
    this.settings = settings;
    this.names = names;
    this.rest = rest;
    this.lock = lock;
  }

  String load(String logical, Dataset<Row> rows) {
    String name = BqNames.stagingName(lock.run(), logical);
    String path = names.path(name);
    created.add(path);
    long start = System.nanoTime();
    BqConnector.write(
        rows, BqConnector.write(settings, names.project() + "." + names.dataset() + "." + name));
    LOG.info(
        "staged {} rows of sync '{}' run '{}' in {} ms",
        logical,
        lock.syncId(),
        lock.runId(),
        (System.nanoTime() - start) / 1_000_000);
    return path;
  }

  List<String> expirations() {
    return created.stream().map(BqDdl::expire).toList();
  }

  @Override
  public void close() {
    if (created.isEmpty()) {
      return;
    }
    try {
      rest.query(String.join(";\n", created.stream().map(BqDdl::drop).toList()), List.of());
    } catch (Exception e) {
      LOG.warn(
          "could not drop staging tables {} of sync '{}' run '{}' ({}); they expire within a"
              + " day, and a rerun of the run replaces them",
          created,
          lock.syncId(),
          lock.runId(),
          e.getMessage());
    }
  }
}
