package io.synclog.sink.delta.databricks;

import io.synclog.sink.Canonical;
import io.synclog.sink.References;
import io.synclog.sink.SinkTarget;
import io.synclog.testing.SparkExtension;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * A schema per namespace in the test session's metastore catalog ({@code spark_catalog}, Delta's
 * catalog over an in-memory metastore), its managed tables kept in the test folder. Tables are
 * addressed by name, as on Databricks: {@code spark_catalog.<namespace>.<table>}, or {@code
 * <namespace>.<table>} with the catalog left unset.
 */
public final class DatabricksTarget implements SinkTarget {
  /** The tables synclog keeps in a schema; anything else found there is a leftover. */
  private static final Set<String> OWN =
      Set.of("sync_changelog", "sync_snapshot", "sync_runs", "sync_plans", "_synclog_locks");

  public static final DatabricksTarget INSTANCE = new DatabricksTarget("spark_catalog");

  private static final Set<String> CREATED = new HashSet<>();

  private final String catalog;

  public DatabricksTarget(String catalog) {
    this.catalog = catalog;
  }

  @Override
  public String kind() {
    return catalog == null ? "databricks-current-catalog" : "databricks";
  }

  /** Creates the namespace's schema, located in the test folder, once. */
  public static synchronized void createSchema(String namespace) {
    if (CREATED.add(namespace)) {
      String location = References.dir().resolve("metastore").resolve(namespace).toUri().toString();
      spark()
          .sql(
              "CREATE SCHEMA IF NOT EXISTS spark_catalog.`"
                  + namespace
                  + "` LOCATION '"
                  + location
                  + "'");
    }
  }

  private static SparkSession spark() {
    return SparkExtension.spark();
  }

  @Override
  public Map<String, String> settings(String namespace) {
    if (namespace.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      createSchema(namespace);
    }
    return catalog == null
        ? Map.of("target.kind", "databricks", "target.schema", namespace)
        : Map.of(
            "target.kind", "databricks", "target.catalog", catalog, "target.schema", namespace);
  }

  @Override
  public Map<String, String> secrets() {
    return Map.of();
  }

  /** A table's name as a user would type it. */
  public String name(String namespace, String table) {
    return (catalog == null ? "" : catalog + ".") + namespace + "." + table;
  }

  @Override
  public List<String> rows(String namespace, String table) {
    if (!spark().catalog().tableExists(name(namespace, table))) {
      return List.of();
    }
    return Canonical.lines(spark().table(name(namespace, table)), table);
  }

  @Override
  public List<String> leftovers(String namespace) {
    return spark().sql("SHOW TABLES IN spark_catalog.`" + namespace + "`").collectAsList().stream()
        .map(r -> r.<String>getAs("tableName"))
        .filter(t -> !OWN.contains(t))
        .sorted()
        .toList();
  }
}
