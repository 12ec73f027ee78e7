package io.synclog.sink.delta;

import java.util.Map;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Delta tables by name, {@code catalog.schema.table} ({@code target.kind=databricks}): Unity
 * Catalog, the Hive metastore, or any Spark catalog that creates Delta tables. Without a catalog
 * the names are {@code schema.table}, in the session's current catalog. Only the catalog API and
 * SQL are used, so a Spark Connect session works too.
 */
final class CatalogTables implements DeltaTables {
  private final SparkSession spark;
  private final CatalogNames names;

  CatalogTables(SparkSession spark, CatalogNames names) {
    this.spark = spark;
    this.names = names;
  }

  @Override
  public String describe() {
    return "Delta tables in " + names.schemaDisplay();
  }

  @Override
  public String display(String logical) {
    return names.display(logical);
  }

  @Override
  public String sqlName(String logical) {
    return names.sql(logical);
  }

  @Override
  public CatalogNames beside(String schema) {
    return new CatalogNames(names.catalog(), schema, Map.of());
  }

  /** Creates the schema only when it is missing: on Unity Catalog that needs CREATE SCHEMA. */
  @Override
  public void prepareNamespace() {
    if (!spark.catalog().databaseExists(names.schemaSql())) {
      spark.sql("CREATE SCHEMA IF NOT EXISTS " + names.schemaSql());
    }
  }

  @Override
  public boolean exists(String logical) {
    return spark.catalog().tableExists(names.sql(logical));
  }

  @Override
  public java.util.Optional<String> location(String logical) {
    return java.util.Optional.empty();
  }

  @Override
  public Dataset<Row> read(String logical) {
    return spark.table(names.sql(logical));
  }

  @Override
  public void write(DataFrameWriter<Row> writer, String logical) {
    writer.saveAsTable(names.sql(logical));
  }
}
