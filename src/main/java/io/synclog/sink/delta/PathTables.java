package io.synclog.sink.delta;

import io.synclog.error.Errors;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Delta tables at {@code <location>/<schema>/<table>} ({@code target.kind=delta}). */
final class PathTables implements DeltaTables {
  private final SparkSession spark;
  private final String root;
  private final Map<String, String> physical;

  PathTables(SparkSession spark, String location, String schema, Map<String, String> physical) {
    this.spark = spark;
    this.root = qualified(stripSlash(location)) + "/" + schema;
    this.physical = Map.copyOf(physical);
  }

  private Configuration hadoop() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /**
   * A relative location ({@code warehouse}) is resolved against the working folder: Delta would
   * otherwise read {@code warehouse/sync_audit/...} as a table name.
   */
  private String qualified(String location) {
    try {
      Path path = new Path(location);
      return path.getFileSystem(hadoop()).makeQualified(path).toString();
    } catch (IOException e) {
      throw Errors.unreadableTable(location, e);
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  String path(String logical) {
    return root + "/" + physical.getOrDefault(logical, logical);
  }

  @Override
  public String describe() {
    return "Delta tables under " + root;
  }

  @Override
  public String display(String logical) {
    return path(logical);
  }

  @Override
  public String sqlName(String logical) {
    return "delta." + DeltaStatements.quote(path(logical));
  }

  @Override
  public CatalogNames beside(String schema) {
    return new CatalogNames(null, schema, Map.of());
  }

  @Override
  public void prepareNamespace() {}

  /**
   * A file-system check, no Spark job. A table counts once its first commit is written: another
   * sync creating it at this moment may have made the {@code _delta_log} folder already, but not
   * yet the commit.
   */
  @Override
  public boolean exists(String logical) {
    try {
      Path log = new Path(path(logical), "_delta_log");
      FileSystem fs = log.getFileSystem(hadoop());
      if (!fs.exists(log)) {
        return false;
      }
      for (var status : fs.listStatus(log)) {
        String name = status.getPath().getName();
        if (name.endsWith(".json") || name.contains(".checkpoint")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return io.delta.tables.DeltaTable.isDeltaTable(spark, path(logical));
    }
  }

  @Override
  public java.util.Optional<String> location(String logical) {
    return java.util.Optional.of(path(logical));
  }

  @Override
  public Dataset<Row> read(String logical) {
    return spark.read().format("delta").load(path(logical));
  }

  @Override
  public void write(DataFrameWriter<Row> writer, String logical) {
    writer.save(path(logical));
  }
}
