package io.synclog.sink;

import io.synclog.config.SyncConfig;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** A sink under test: how to point synclog at a fresh namespace of it, and how to read it back. */
public interface SinkTarget {
  /** A short name for messages and for the scenario cache: "delta", "postgres". */
  String kind();

  /** Non-secret target.* settings for a namespace. */
  Map<String, String> settings(String namespace);

  /** Secret settings, passed through the Spark-conf layer. */
  Map<String, String> secrets();

  /**
   * The rows of a table in canonical form (see {@link Canonical}), sorted.
   *
   * @param table sync_changelog, sync_snapshot or sync_runs
   */
  List<String> rows(String namespace, String table);

  /**
   * The sink for a configuration. By default the one synclog opens; a warehouse tested on a
   * stand-in builds its sink with the stand-in's connections.
   */
  default LogSink open(SparkSession spark, SyncConfig config) {
    return Sinks.open(spark, config);
  }

  /** Names of the staging or temporary objects the sink left behind in a namespace. */
  List<String> leftovers(String namespace);
}
