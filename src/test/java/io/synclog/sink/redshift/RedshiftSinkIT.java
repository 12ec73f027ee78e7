package io.synclog.sink.redshift;

import io.github.spark_redshift_community.spark.redshift.DefaultSource;
import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.log.LogTables;
import io.synclog.sink.Canonical;
import io.synclog.sink.SinkContractTest;
import io.synclog.sink.SinkTarget;
import io.synclog.sink.warehouse.JdbcSession;
import io.synclog.sink.warehouse.SqlStatement;
import io.synclog.testing.SparkExtension;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The sink contract against a live Redshift cluster, through the real spark-redshift connector, S3
 * and IAM. Runs only when the connection is given (env REDSHIFT_JDBC_URL, REDSHIFT_USER,
 * REDSHIFT_PASSWORD, REDSHIFT_TEMP_DIR, REDSHIFT_IAM_ROLE) and the connector jar, the Redshift JDBC
 * driver and hadoop-aws are on the test classpath; otherwise it is skipped, before anything starts,
 * with a message saying what is missing. It creates schemas named like golden_1 and crash_2 in the
 * database: use a scratch database.
 */
@ExtendWith(RedshiftSinkIT.Gate.class)
class RedshiftSinkIT extends SinkContractTest {
  static final List<String> VARIABLES =
      List.of(
          "REDSHIFT_JDBC_URL",
          "REDSHIFT_USER",
          "REDSHIFT_PASSWORD",
          "REDSHIFT_TEMP_DIR",
          "REDSHIFT_IAM_ROLE");

  /** Skips the class before any extension (Spark included) starts, naming what is missing. */
  static final class Gate implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      List<String> missing = new ArrayList<>();
      for (String v : VARIABLES) {
        String value = System.getenv(v);
        if (value == null || value.isBlank()) {
          missing.add(v);
        }
      }
      if (!missing.isEmpty()) {
        return ConditionEvaluationResult.disabled(
            "set " + String.join(", ", VARIABLES) + " to run (missing: " + missing + ")");
      }
      if (!DefaultSource.realConnectorPresent()) {
        return ConditionEvaluationResult.disabled(
            "put the spark-redshift connector jar (io.github.spark-redshift-community:"
                + "spark-redshift_2.12), com.amazon.redshift:redshift-jdbc42 and hadoop-aws on the"
                + " test classpath to run");
      }
      return ConditionEvaluationResult.enabled("Redshift connection and connector present");
    }
  }

  @Override
  protected SinkTarget target() {
    return Live.INSTANCE;
  }

  /** A schema per namespace in the live database. */
  static final class Live implements SinkTarget {
    static final Live INSTANCE = new Live();

    @Override
    public String kind() {
      return "redshift-live";
    }

    @Override
    public Map<String, String> settings(String namespace) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("target.kind", "redshift");
      m.put("target.jdbc-url", System.getenv("REDSHIFT_JDBC_URL"));
      m.put("target.user", System.getenv("REDSHIFT_USER"));
      m.put("target.temp-dir", System.getenv("REDSHIFT_TEMP_DIR"));
      m.put("target.iam-role", System.getenv("REDSHIFT_IAM_ROLE"));
      m.put("target.schema", namespace);
      return m;
    }

    @Override
    public Map<String, String> secrets() {
      return Map.of("target.password", System.getenv("REDSHIFT_PASSWORD"));
    }

    private RsTarget rsTarget(String namespace) {
      return RsTarget.from(
          SyncConfig.resolve(
              new ConfigSources(Map.of(), secrets(), Map.of(), settings(namespace)),
              SyncConfig.Need.TARGET));
    }

    private List<Object[]> query(String namespace, String sql, Object... params) {
      try {
        return new JdbcSession(rsTarget(namespace)::connect, RedshiftDialect.INSTANCE)
            .autoCommit(
                c -> JdbcSession.query(RedshiftDialect.INSTANCE, c, SqlStatement.of(sql, params)));
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }

    @Override
    public List<String> rows(String namespace, String table) {
      if (query(
              namespace,
              "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
              namespace,
              table)
          .isEmpty()) {
        return List.of();
      }
      Dataset<Row> rows =
          SparkExtension.spark()
              .read()
              .format(RsTarget.CONNECTOR)
              .options(rsTarget(namespace).connectorOptions(null))
              .option("query", select(namespace, table))
              .load();
      return Canonical.lines(rows, table);
    }

    /** The table's columns, SUPER fields serialised to JSON text. */
    private static String select(String namespace, String table) {
      List<String> cols = new ArrayList<>();
      org.apache.spark.sql.types.StructType schema =
          switch (table) {
            case LogTables.CHANGELOG -> LogTables.changelogSchema(false);
            case LogTables.SNAPSHOT -> LogTables.snapshotSchema(false);
            default -> LogTables.runsSchema();
          };
      for (StructField f : schema.fields()) {
        cols.add(
            f.name().equals("fields")
                ? "JSON_SERIALIZE(\"fields\") AS \"fields\""
                : RsNames.quote(f.name()));
      }
      return "SELECT "
          + String.join(", ", cols)
          + " FROM "
          + RsNames.quote(namespace)
          + "."
          + RsNames.quote(table);
    }

    @Override
    public List<String> leftovers(String namespace) {
      List<String> out = new ArrayList<>();
      for (Object[] r :
          query(
              namespace,
              "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND"
                  + " table_name LIKE ?",
              namespace,
              RsNames.STAGING_PREFIX.replace("_", "\\_") + "%")) {
        out.add((String) r[0]);
      }
      return out;
    }
  }
}
