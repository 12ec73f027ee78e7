package io.synclog.sink.postgres;

import io.synclog.sink.Canonical;
import io.synclog.sink.SinkTarget;
import io.synclog.testing.SparkExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A schema per namespace in the embedded server, written by the password-protected app user. */
public final class PostgresTarget implements SinkTarget {
  public static final PostgresTarget INSTANCE = new PostgresTarget();

  private PostgresTarget() {}

  @Override
  public String kind() {
    return "postgres";
  }

  @Override
  public Map<String, String> settings(String namespace) {
    return Map.of(
        "target.kind",
        "postgres",
        "target.jdbc-url",
        EmbeddedPg.url(),
        "target.user",
        EmbeddedPg.APP_USER,
        "target.schema",
        namespace);
  }

  @Override
  public Map<String, String> secrets() {
    return Map.of(
        "target.password", EmbeddedPg.APP_PASSWORD, "model.password", EmbeddedPg.APP_PASSWORD);
  }

  /** A table as Spark reads it over JDBC (jsonb and json come back as strings). */
  public static Dataset<Row> table(String namespace, String table) {
    return SparkExtension.spark()
        .read()
        .format("jdbc")
        .option("url", EmbeddedPg.url())
        .option("user", "postgres")
        .option("dbtable", "\"" + namespace + "\".\"" + table + "\"")
        .load();
  }

  @Override
  public List<String> rows(String namespace, String table) {
    if (!exists(namespace, table)) {
      return List.of();
    }
    return Canonical.lines(table(namespace, table), table);
  }

  static boolean exists(String namespace, String table) {
    return !query(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            namespace,
            table)
        .isEmpty();
  }

  @Override
  public List<String> leftovers(String namespace) {
    return query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name"
            + " LIKE '\\_synclog\\_stage\\_%'",
        namespace);
  }

  /** The first column of a query's rows, as strings. */
  public static List<String> query(String sql, Object... params) {
    try (Connection c = EmbeddedPg.admin();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
