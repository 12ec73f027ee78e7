package io.synclog.source;

import io.synclog.config.ConfigKeys;
import io.synclog.config.Secret;
import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the model from a database over JDBC ({@code model.jdbc-url} with {@code model.table} or
 * {@code model.query}), in {@code model.partitions} parallel reads.
 *
 * <p>Before anything is read, the source's columns are fetched ({@code WHERE false}) so a missing
 * primary key fails at once. The parallel reads split on {@code model.partition-column} (a numeric,
 * date or timestamp column, between its min and max) when given; otherwise, on Postgres, on a hash
 * of the primary key ({@code mod(abs(hashtext(pk::text)), N)}), which spreads any key type evenly.
 * Rows whose key is null are read by the first split, so the diff can report them. Other databases
 * without a partition column are read in one piece.
 *
 * <p>{@code model.table} may be {@code table} or {@code schema.table}; each part is quoted, so it
 * is matched case-sensitively. {@code model.query} is sent to the database as written.
 */
public final class JdbcModelReader {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcModelReader.class);

  private JdbcModelReader() {}

  public static Dataset<Row> read(SparkSession spark, SyncConfig config) {
    String url = config.get(ConfigKeys.MODEL_JDBC_URL);
    String source = source(config);
    Properties props = properties(config);
    String pk = config.primaryKey();
    List<String> columns = columns(config, url, source, props);
    if (!columns.contains(pk)) {
      throw Errors.missingPrimaryKey(config.syncRun(), describe(config), pk, columns);
    }
    int parts = partitions(config);
    var partitionColumn = config.optional(ConfigKeys.MODEL_PARTITION_COLUMN);
    if (parts > 1 && partitionColumn.isPresent()) {
      return byRange(spark, config, url, source, props, columns, partitionColumn.get(), parts);
    }
    if (parts > 1 && url.startsWith("jdbc:postgresql:")) {
      return spark.read().jdbc(url, source, hashSplits(quote(pk), parts), props);
    }
    if (parts > 1) {
      LOG.warn(
          "sync '{}': reading the model in one piece; set model.partition-column to read {} in"
              + " parallel",
          config.syncId(),
          describe(config));
    }
    return spark.read().jdbc(url, source, props);
  }

  /** The table, quoted, or the query as a derived table. */
  static String source(SyncConfig config) {
    return config
        .optional(ConfigKeys.MODEL_TABLE)
        .map(JdbcModelReader::quoteTable)
        .orElseGet(() -> "(" + config.get(ConfigKeys.MODEL_QUERY) + ") AS synclog_model");
  }

  static String quoteTable(String name) {
    List<String> parts = new ArrayList<>();
    for (String part : name.split("\\.", -1)) {
      if (part.isEmpty()) {
        throw Errors.badIdentifier("model.table", name, "use table or schema.table");
      }
      parts.add(quote(part));
    }
    return String.join(".", parts);
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String describe(SyncConfig config) {
    return config
            .optional(ConfigKeys.MODEL_TABLE)
            .map(t -> "table " + t)
            .orElse("query " + config.get(ConfigKeys.MODEL_QUERY))
        + " over JDBC";
  }

  private static Properties properties(SyncConfig config) {
    Properties p = new Properties();
    config.optional(ConfigKeys.MODEL_USER).ifPresent(u -> p.setProperty("user", u));
    config
        .secret(ConfigKeys.MODEL_PASSWORD)
        .map(Secret::reveal)
        .ifPresent(pw -> p.setProperty("password", pw));
    p.setProperty("fetchsize", "10000");
    return p;
  }

  private static int partitions(SyncConfig config) {
    String v = config.get(ConfigKeys.MODEL_PARTITIONS);
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 1 && n <= 1024) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw Errors.invalidConfig(
        List.of("'model.partitions' is '" + v + "'; use a whole number from 1 to 1024"));
  }

  private static List<String> columns(
      SyncConfig config, String url, String source, Properties props) {
    try (Connection c = DriverManager.getConnection(url, props);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + source + " WHERE 1 = 0")) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> out = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        out.add(md.getColumnLabel(i));
      }
      return out;
    } catch (SQLException e) {
      throw Errors.unreadableModel(config.syncRun(), describe(config), e);
    }
  }

  private static Dataset<Row> byRange(
      SparkSession spark,
      SyncConfig config,
      String url,
      String source,
      Properties props,
      List<String> columns,
      String column,
      int parts) {
    if (!columns.contains(column)) {
      throw Errors.invalidConfig(
          List.of(
              "'model.partition-column' is '"
                  + column
                  + "', which is not a column of "
                  + describe(config)
                  + " (columns: "
                  + String.join(", ", columns)
                  + ")"));
    }
    Object[] bounds;
    try (Connection c = DriverManager.getConnection(url, props);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT min(" + quote(column) + "), max(" + quote(column) + ") FROM " + source)) {
      rs.next();
      bounds = new Object[] {rs.getObject(1), rs.getObject(2)};
    } catch (SQLException e) {
      throw Errors.unreadableModel(config.syncRun(), describe(config), e);
    }
    if (bounds[0] == null) {
      return spark.read().jdbc(url, source, props);
    }
    Properties withRange = new Properties();
    withRange.putAll(props);
    withRange.setProperty("partitionColumn", column);
    withRange.setProperty("lowerBound", bounds[0].toString());
    withRange.setProperty("upperBound", bounds[1].toString());
    withRange.setProperty("numPartitions", Integer.toString(parts));
    // Spark reads rows outside the bounds, and null values, in the first and last splits
    return spark
        .read()
        .format("jdbc")
        .options(toMap(withRange))
        .option("url", url)
        .option("dbtable", source)
        .load();
  }

  private static java.util.Map<String, String> toMap(Properties p) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return m;
  }

  /** One predicate per split, together covering every row once (null keys in split 0). */
  static String[] hashSplits(String quotedKey, int parts) {
    String[] out = new String[parts];
    for (int i = 0; i < parts; i++) {
      // hashtext is int4: widen before abs() so abs(-2^31) cannot overflow
      String p = "mod(abs(hashtext(" + quotedKey + "::text)::bigint), " + parts + ") = " + i;
      out[i] = i == 0 ? "(" + p + " OR " + quotedKey + " IS NULL)" : p;
    }
    return out;
  }
}
