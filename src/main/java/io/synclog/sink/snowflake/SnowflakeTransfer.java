package io.synclog.sink.snowflake;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * How rows move between Spark and the warehouse: bulk-load a Dataset into an existing (staging)
 * table, and read a query back. The sink does everything else over JDBC. {@link #connector} is the
 * production one; tests substitute a Spark JDBC one for the PostgreSQL stand-in.
 */
public interface SnowflakeTransfer {
  /** Appends the rows to an existing, empty table, by column position. */
  void load(Dataset<Row> rows, String qualifiedTable);

  /** The rows of a query; Spark filters on the result are pushed down into it. */
  Dataset<Row> query(String sql);

  String SOURCE = "net.snowflake.spark.snowflake";

  /** spark-snowflake: a staged COPY INTO per load, query pushdown on reads. */
  static SnowflakeTransfer connector(SparkSession spark, SnowflakeSettings settings) {
    redactKeyOption(spark);
    return new SnowflakeTransfer() {
      @Override
      public void load(Dataset<Row> rows, String qualifiedTable) {
        rows.write()
            .format(SOURCE)
            .options(loadOptions(settings, qualifiedTable))
            .mode("append")
            .save();
      }

      @Override
      public Dataset<Row> query(String sql) {
        return spark.read().format(SOURCE).options(queryOptions(settings, sql)).load();
      }
    };
  }

  /**
   * Load options. {@code usestagingtable=off} with {@code truncate_table=on} makes the connector
   * COPY straight into the table inside its own transaction (no table of its own, no SWAP); an
   * append never truncates. The target is already a per-run staging table, so a failed load only
   * leaves rows that the next attempt's DROP and CREATE discard.
   */
  static Map<String, String> loadOptions(SnowflakeSettings settings, String qualifiedTable) {
    Map<String, String> o = new java.util.LinkedHashMap<>(settings.connectorOptions());
    o.put("dbtable", qualifiedTable);
    o.put("usestagingtable", "off");
    o.put("truncate_table", "on");
    o.put("column_mapping", "order");
    o.put("continue_on_error", "off");
    return o;
  }

  static Map<String, String> queryOptions(SnowflakeSettings settings, String sql) {
    Map<String, String> o = new java.util.LinkedHashMap<>(settings.connectorOptions());
    o.put("query", sql);
    o.put("autopushdown", "on");
    return o;
  }

  /**
   * Spark masks data source options in plans and the UI when the key or value matches {@code
   * spark.sql.redaction.options.regex} or {@code spark.redaction.regex}; the defaults cover
   * sfPassword and sfToken but not {@code pem_private_key}, so it is added to the session's
   * pattern.
   */
  static void redactKeyOption(SparkSession spark) {
    String key = "spark.sql.redaction.options.regex";
    String current = spark.conf().get(key, "(?i)url");
    if (!current.contains("pem_private_key")) {
      spark.conf().set(key, current + "|(?i)pem_private_key");
    }
  }
}
