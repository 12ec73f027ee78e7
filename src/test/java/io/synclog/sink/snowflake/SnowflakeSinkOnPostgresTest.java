package io.synclog.sink.snowflake;

import static io.synclog.log.LogTables.CHANGELOG;
import static io.synclog.log.LogTables.RUNS;
import static io.synclog.log.LogTables.SNAPSHOT;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.config.SyncConfig;
import io.synclog.log.LogTables;
import io.synclog.plan.Columns;
import io.synclog.sink.Canonical;
import io.synclog.sink.LogSink;
import io.synclog.sink.References;
import io.synclog.sink.SinkTarget;
import io.synclog.sink.Sinks;
import io.synclog.sink.postgres.EmbeddedPg;
import io.synclog.sink.postgres.PostgresTarget;
import io.synclog.testing.SparkExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole Snowflake sink (locks, plans, staging, the commit transaction, reads) with its JDBC
 * connections and its loads pointed at the PostgreSQL stand-in ({@link SnowflakeOnPostgres}): the
 * target that {@link SnowflakeSinkContractTest} runs the shared sink contract on. Here: the shipped
 * Snowflake queries answer on the contract's golden history, and the key-pair option is masked in
 * Spark's plans. What it cannot check is Snowflake itself; {@code SnowflakeSinkIT} does that.
 */
@ExtendWith(SparkExtension.class)
class SnowflakeSinkOnPostgresTest {
  static final SinkTarget TARGET =
      new SinkTarget() {
        @Override
        public String kind() {
          return "snowflake-on-postgres";
        }

        @Override
        public Map<String, String> settings(String namespace) {
          return Map.of("target.kind", "snowflake", "target.schema", namespace);
        }

        @Override
        public Map<String, String> secrets() {
          return Map.of();
        }

        @Override
        public LogSink open(SparkSession spark, SyncConfig config) {
          return sink(config);
        }

        @Override
        public List<String> rows(String namespace, String table) {
          return Canonical.lines(
              SnowflakeOnPostgres.transfer(SparkExtension.spark()).query(select(namespace, table)),
              table);
        }

        @Override
        public List<String> leftovers(String namespace) {
          return PostgresTarget.query(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND"
                  + " table_name LIKE '\\_SYNCLOG\\_STAGE\\_%'",
              namespace.toUpperCase(Locale.ROOT));
        }
      };

  /** A table's columns with the stand-in's domains cast to types Spark's JDBC source reads. */
  static String select(String namespace, String table) {
    StructType schema =
        switch (table) {
          case CHANGELOG -> LogTables.changelogSchema(false);
          case SNAPSHOT -> LogTables.snapshotSchema(false);
          default -> LogTables.runsSchema();
        };
    List<String> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      String q = SnowflakeNames.quote(f.name());
      if (f.name().equals(Columns.FIELDS)) {
        cols.add(q + "::text AS " + q);
      } else if (f.dataType().equals(DataTypes.TimestampType)) {
        cols.add(q + "::timestamptz AS " + q);
      } else {
        cols.add(q);
      }
    }
    return "SELECT "
        + String.join(", ", cols)
        + " FROM "
        + SnowflakeNames.quote(namespace)
        + "."
        + SnowflakeNames.quote(table);
  }

  static LogSink sink(SyncConfig config) {
    return new SnowflakeLogSink(
        "the PostgreSQL stand-in at " + EmbeddedPg.url(),
        s -> s,
        new SnowflakeJdbc(SnowflakeOnPostgres.connections()),
        SnowflakeOnPostgres.transfer(SparkExtension.spark()),
        config.schema(),
        Sinks.physicalNames(config),
        config.tableEnabled("changelog"));
  }

  /**
   * Runs a query shipped in src/main/resources/sql/snowflake over a namespace. Snowflake resolves
   * the file's unquoted names to synclog's UPPERCASE tables and columns; Postgres folds them to
   * lower case instead, so the stand-in exposes the tables through views with lower-case names.
   */
  static List<String> runShippedQuery(String file, String ns) throws Exception {
    String sql;
    try (java.io.InputStream in =
        SnowflakeSinkOnPostgresTest.class.getResourceAsStream("/sql/snowflake/" + file)) {
      sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String views = ns.toLowerCase(Locale.ROOT) + "_lower";
    List<String> out = new ArrayList<>();
    try (java.sql.Connection c = EmbeddedPg.admin();
        java.sql.Statement st = c.createStatement()) {
      st.execute("SET TIME ZONE 'UTC'");
      st.execute("CREATE SCHEMA IF NOT EXISTS " + views);
      for (String table : List.of(CHANGELOG, SNAPSHOT, RUNS)) {
        List<String> cols = new ArrayList<>();
        for (String col :
            PostgresTarget.query(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND"
                    + " table_name = ? ORDER BY ordinal_position",
                ns.toUpperCase(Locale.ROOT),
                table.toUpperCase(Locale.ROOT))) {
          cols.add("\"" + col + "\" AS " + col.toLowerCase(Locale.ROOT));
        }
        st.execute(
            "CREATE OR REPLACE VIEW "
                + views
                + "."
                + table
                + " AS SELECT "
                + String.join(", ", cols)
                + " FROM "
                + SnowflakeNames.quote(ns)
                + "."
                + SnowflakeNames.quote(table));
      }
      try (java.sql.ResultSet rs = st.executeQuery(sql.replace("sync_audit.", views + "."))) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> cells = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            Object v = rs.getObject(i);
            cells.add(
                v instanceof java.sql.Timestamp t ? t.toInstant().toString() : String.valueOf(v));
          }
          out.add(String.join("|", cells));
        }
      }
    }
    return out;
  }

  @Test
  void theShippedSnowflakeQueriesAnswerOnTheStandIn() throws Exception {
    // the golden history, which the shared contract records once on this stand-in
    String ns = References.scenario(TARGET);
    assertThat(runShippedQuery("most_common_errors.sql", ns)).containsExactly("rate limited|1");
    assertThat(runShippedQuery("model_enter_exit.sql", ns))
        .containsExactly(
            "1|model s1|added|2026-03-01T10:00:00Z",
            "2|model s1|added|2026-03-01T10:00:00Z",
            "2|model s1|removed|2026-03-04T10:00:00Z",
            "3|model s1|added|2026-03-01T10:00:00Z",
            "3|model s1|removed|2026-03-02T10:00:00Z",
            "4|model s1|added|2026-03-02T10:00:00Z",
            "5|model s1|added|2026-03-03T10:00:00Z");
  }

  @Test
  void theKeyPairOptionIsMaskedInSparkPlans() {
    SnowflakeTransfer.redactKeyOption(SparkExtension.spark());
    String regex = SparkExtension.spark().conf().get("spark.sql.redaction.options.regex");
    // Spark masks an option whose key matches this pattern (or spark.redaction.regex, which
    // already covers sfPassword and sfToken)
    assertThat(java.util.regex.Pattern.compile(regex).matcher("pem_private_key").find()).isTrue();
    assertThat(java.util.regex.Pattern.compile(regex).matcher("sfURL").find())
        .as("the default url pattern is kept")
        .isTrue();
    SnowflakeTransfer.redactKeyOption(SparkExtension.spark());
    assertThat(SparkExtension.spark().conf().get("spark.sql.redaction.options.regex"))
        .as("applied once")
        .isEqualTo(regex);
  }
}
