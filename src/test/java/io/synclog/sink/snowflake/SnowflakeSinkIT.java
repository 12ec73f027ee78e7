package io.synclog.sink.snowflake;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.log.LogTables;
import io.synclog.plan.Columns;
import io.synclog.sink.Canonical;
import io.synclog.sink.SinkContractTest;
import io.synclog.sink.SinkTarget;
import io.synclog.testing.SparkExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared sink contract against a real Snowflake account: the connector's staged loads, the JDBC
 * commit transaction, VARIANT, identifier case, locks and prune, for real. Runs under {@code mvn
 * verify} when these are set, and is reported as skipped otherwise:
 *
 * <ul>
 *   <li>{@code SNOWFLAKE_URL} (acct.region.snowflakecomputing.com), {@code SNOWFLAKE_USER}, {@code
 *       SNOWFLAKE_DATABASE}, {@code SNOWFLAKE_WAREHOUSE}, optional {@code SNOWFLAKE_ROLE};
 *   <li>{@code SNOWFLAKE_PASSWORD}, or {@code SNOWFLAKE_PRIVATE_KEY_FILE} (PKCS#8 PEM) with
 *       optional {@code SNOWFLAKE_PRIVATE_KEY_PASSPHRASE}.
 * </ul>
 *
 * Each run works in fresh schemas named {@code SYNCLOG_IT_<time>_<test>} and drops them at the end.
 */
@ExtendWith(SnowflakeSinkIT.Credentials.class)
class SnowflakeSinkIT extends SinkContractTest {
  static final List<String> REQUIRED =
      List.of("SNOWFLAKE_URL", "SNOWFLAKE_USER", "SNOWFLAKE_DATABASE", "SNOWFLAKE_WAREHOUSE");
  static final String HOW =
      "set SNOWFLAKE_URL, SNOWFLAKE_USER, SNOWFLAKE_DATABASE, SNOWFLAKE_WAREHOUSE and"
          + " SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_FILE (optional SNOWFLAKE_ROLE,"
          + " SNOWFLAKE_PRIVATE_KEY_PASSPHRASE) to run the live Snowflake sink contract";

  /** Decided before any extension starts Spark: without credentials nothing runs. */
  static final class Credentials implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      boolean ok =
          REQUIRED.stream().allMatch(SnowflakeSinkIT::isSet)
              && (isSet("SNOWFLAKE_PASSWORD") || isSet("SNOWFLAKE_PRIVATE_KEY_FILE"));
      return ok
          ? ConditionEvaluationResult.enabled("Snowflake credentials found")
          : ConditionEvaluationResult.disabled(HOW);
    }
  }

  private static boolean isSet(String name) {
    String v = System.getenv(name);
    return v != null && !v.isBlank();
  }

  private static final String PREFIX = "SYNCLOG_IT_" + System.currentTimeMillis() / 1000 + "_";
  private static final Set<String> SCHEMAS = ConcurrentHashMap.newKeySet();

  static final SinkTarget LIVE =
      new SinkTarget() {
        @Override
        public String kind() {
          return "snowflake";
        }

        @Override
        public Map<String, String> settings(String namespace) {
          String schema = PREFIX + namespace.toUpperCase(Locale.ROOT);
          SCHEMAS.add(schema);
          Map<String, String> s = new LinkedHashMap<>();
          s.put("target.kind", "snowflake");
          s.put("target.url", System.getenv("SNOWFLAKE_URL"));
          s.put("target.user", System.getenv("SNOWFLAKE_USER"));
          s.put("target.database", System.getenv("SNOWFLAKE_DATABASE"));
          s.put("target.warehouse", System.getenv("SNOWFLAKE_WAREHOUSE"));
          s.put("target.schema", schema);
          if (isSet("SNOWFLAKE_ROLE")) {
            s.put("target.role", System.getenv("SNOWFLAKE_ROLE"));
          }
          if (isSet("SNOWFLAKE_PRIVATE_KEY_FILE")) {
            s.put("target.auth", "key-pair");
            s.put("target.private-key-file", System.getenv("SNOWFLAKE_PRIVATE_KEY_FILE"));
          }
          return s;
        }

        @Override
        public Map<String, String> secrets() {
          Map<String, String> s = new LinkedHashMap<>();
          if (isSet("SNOWFLAKE_PRIVATE_KEY_FILE")) {
            if (isSet("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE")) {
              s.put(
                  "target.private-key-passphrase",
                  System.getenv("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"));
            }
          } else {
            s.put("target.password", System.getenv("SNOWFLAKE_PASSWORD"));
          }
          return s;
        }

        @Override
        public List<String> rows(String namespace, String table) {
          SnowflakeSettings st = snowflakeSettings(namespace, this);
          String schema = PREFIX + namespace.toUpperCase(Locale.ROOT);
          if (query(
                  st,
                  "SELECT 1 FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = '"
                      + schema
                      + "' AND TABLE_NAME = '"
                      + table.toUpperCase(Locale.ROOT)
                      + "'")
              .isEmpty()) {
            return List.of();
          }
          return Canonical.lines(
              SnowflakeTransfer.connector(SparkExtension.spark(), st).query(select(schema, table)),
              table);
        }

        @Override
        public List<String> leftovers(String namespace) {
          String schema = PREFIX + namespace.toUpperCase(Locale.ROOT);
          return query(
              snowflakeSettings(namespace, this),
              "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = '"
                  + schema
                  + "' AND STARTSWITH(TABLE_NAME, '_SYNCLOG_STAGE_')");
        }
      };

  private static SnowflakeSettings snowflakeSettings(String namespace, SinkTarget target) {
    return SnowflakeSettings.from(
        SyncConfig.resolve(
            new ConfigSources(Map.of(), target.secrets(), Map.of(), target.settings(namespace)),
            SyncConfig.Need.TARGET));
  }

  /** A table's columns, fields as JSON text, in the reference's order. */
  private static String select(String schema, String table) {
    StructType s =
        switch (table) {
          case LogTables.CHANGELOG -> LogTables.changelogSchema(false);
          case LogTables.SNAPSHOT -> LogTables.snapshotSchema(false);
          default -> LogTables.runsSchema();
        };
    List<String> cols = new ArrayList<>();
    for (StructField f : s.fields()) {
      String q = SnowflakeNames.quote(f.name());
      cols.add(f.name().equals(Columns.FIELDS) ? "TO_JSON(" + q + ") AS " + q : q);
    }
    return "SELECT "
        + String.join(", ", cols)
        + " FROM "
        + SnowflakeNames.quote(schema)
        + "."
        + SnowflakeNames.quote(table);
  }

  private static List<String> query(SnowflakeSettings st, String sql) {
    try (Connection c = new SnowflakeConnections(st).open();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(st.scrub(e.getMessage()));
    }
  }

  @AfterAll
  static void dropSchemas() {
    if (SCHEMAS.isEmpty()) {
      return;
    }
    SnowflakeSettings st = snowflakeSettings("cleanup", LIVE);
    SCHEMAS.add(PREFIX + "CLEANUP");
    for (String schema : SCHEMAS) {
      query(st, "DROP SCHEMA IF EXISTS " + SnowflakeNames.quote(schema) + " CASCADE");
    }
  }

  @Override
  protected SinkTarget target() {
    return LIVE;
  }

  @Override
  protected List<String> extraBoundaries() {
    return List.of(SnowflakeLogSink.BEFORE_COMMIT);
  }
}
