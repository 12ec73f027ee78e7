package io.synclog.source;

import io.synclog.config.ConfigKeys;
import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the model extract: a table, a query, or files (Parquet, Delta, CSV with a header, JSON,
 * ORC). CSV columns are read as strings, so a model's types do not change with its contents.
 */
public final class ModelSource {
  private ModelSource() {}

  public static InputSpec spec(SyncConfig config) {
    if (config.optional(ConfigKeys.MODEL_TABLE).isPresent()) {
      return InputSpec.table(config.get(ConfigKeys.MODEL_TABLE));
    }
    if (config.optional(ConfigKeys.MODEL_QUERY).isPresent()) {
      return InputSpec.query(config.get(ConfigKeys.MODEL_QUERY));
    }
    return InputSpec.path(config.get(ConfigKeys.MODEL_PATH), config.get(ConfigKeys.MODEL_FORMAT));
  }

  /** Reads the model from the Spark catalog, files or JDBC, and checks its primary key column. */
  public static Dataset<Row> read(SparkSession spark, SyncConfig config) {
    return read(spark, config, null);
  }

  /**
   * Reads the model and checks that its primary key column exists.
   *
   * @param connector reads through the warehouse named by {@code model.connector}, or null
   */
  public static Dataset<Row> read(
      SparkSession spark, SyncConfig config, ConnectorModelReader connector) {
    InputSpec spec = spec(config);
    Dataset<Row> model;
    try {
      if (connector != null) {
        model = connector.read(spark, config, spec);
      } else if (config.optional(ConfigKeys.MODEL_JDBC_URL).isPresent()) {
        model = JdbcModelReader.read(spark, config);
      } else {
        model = Inputs.read(spark, spec, null);
      }
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      throw Errors.unreadableModel(config.syncRun(), spec.describe(), e);
    }
    List<String> columns = Arrays.asList(model.columns());
    if (!columns.contains(config.primaryKey())) {
      throw Errors.missingPrimaryKey(
          config.syncRun(), spec.describe(), config.primaryKey(), columns);
    }
    return model;
  }

  /** The model's columns as DDL, sorted by name: what a schema change is judged by. */
  public static String schemaOf(StructType schema) {
    StructField[] sorted =
        Arrays.stream(schema.fields())
            .sorted(Comparator.comparing(StructField::name))
            .map(f -> new StructField(f.name(), f.dataType(), true, f.metadata()))
            .toArray(StructField[]::new);
    return new StructType(sorted).toDDL();
  }
}
