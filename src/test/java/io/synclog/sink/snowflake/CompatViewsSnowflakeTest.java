package io.synclog.sink.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.config.SyncConfig;
import io.synclog.log.LogTables;
import io.synclog.sink.References;
import io.synclog.sink.SchemaViews;
import io.synclog.sink.postgres.EmbeddedPg;
import io.synclog.sink.postgres.PostgresTarget;
import io.synclog.sink.warehouse.WarehouseDdl;
import io.synclog.sink.warehouse.WarehouseNames;
import io.synclog.sink.warehouse.WarehouseViews;
import io.synclog.testing.SparkExtension;
import io.synclog.views.CompatScenario;
import io.synclog.views.CompatViewsJob;
import io.synclog.views.HightouchExamples;
import io.synclog.views.HightouchViews;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code views --compat hightouch} for Snowflake: the views' SQL as text, then the command through
 * the Snowflake sink on its PostgreSQL stand-in ({@link SnowflakeOnPostgres}), over tables made by
 * the sink's own DDL and filled with the scenario's rows. Snowflake resolves the reference's
 * unquoted names to the views' UPPERCASE ones; PostgreSQL folds them to lower case, so the queries
 * run through lower-case views that rename each column one to one.
 */
@ExtendWith(SparkExtension.class)
class CompatViewsSnowflakeTest {
  private static final Map<String, String> PHYSICAL =
      Map.of("changelog", "sync_changelog", "snapshot", "sync_snapshot", "runs", "sync_runs");

  @Test
  void eachViewIsUpperCasedQuotedAndKeepsItsGrants() {
    String sql =
        WarehouseViews.createView(
            new WarehouseNames(SnowflakeDialect.INSTANCE, "hightouch_audit", Map.of()),
            new SnowflakeNames("sync_audit", PHYSICAL),
            HightouchViews.SNAPSHOT.over(List.of("SYNC_ID")));
    assertThat(sql)
        .isEqualTo(
            """
            CREATE OR REPLACE VIEW "HIGHTOUCH_AUDIT"."SYNC_SNAPSHOT" COPY GRANTS AS
            SELECT
              "SYNC_ID",
              "LAST_SYNC_RUN_ID" AS "SYNC_RUN_ID",
              "OP_TYPE",
              "ROW_ID",
              "STATUS",
              "FAILED_REASON" AS "FAILURE_REASON",
              "FIELDS"
            FROM "SYNC_AUDIT"."SYNC_SNAPSHOT\"""");
  }

  @Test
  void onTheStandInTheViewsAnswerTheReferenceQueries() throws SQLException {
    String tables = References.namespace("compat_sf");
    copyScenario(CompatScenario.namespace(PostgresTarget.INSTANCE), tables);
    SyncConfig config = CompatScenario.config(SnowflakeSinkOnPostgresTest.TARGET, tables, Map.of());
    SchemaViews views = ((SchemaViews.Source) SnowflakeSinkOnPostgresTest.sink(config)).views();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(
            CompatViewsJob.run(
                views,
                config,
                HightouchViews.NAME,
                "sf_hightouch",
                new PrintStream(out, true, StandardCharsets.UTF_8)))
        .containsExactly(
            "SF_HIGHTOUCH.SYNC_CHANGELOG", "SF_HIGHTOUCH.SYNC_SNAPSHOT", "SF_HIGHTOUCH.SYNC_RUNS");
    assertThat(SnowflakeOnPostgres.ISSUED)
        .anyMatch(
            s ->
                s.startsWith(
                    "CREATE OR REPLACE VIEW \"SF_HIGHTOUCH\".\"SYNC_CHANGELOG\" COPY GRANTS AS\n"));
    try (Connection c = EmbeddedPg.admin()) {
      lowerCase(c, "SF_HIGHTOUCH", "sf_hightouch_lower");
      HightouchExamples.assertAnswers(
          "sf_hightouch_lower",
          HightouchExamples.CURRENT_ROWS_WITHOUT_QUALIFY,
          sql -> HightouchExamples.lines(c, sql));
    }
  }

  /** Snowflake's tables, made by the sink's DDL, holding the rows of the scenario's tables. */
  private static void copyScenario(String from, String to) throws SQLException {
    SnowflakeNames names = new SnowflakeNames(to, PHYSICAL);
    Map<String, StructType> schemas =
        Map.of(
            "changelog", LogTables.changelogSchema(false),
            "snapshot", LogTables.snapshotSchema(false),
            "runs", LogTables.runsSchema());
    try (Connection c = SnowflakeOnPostgres.connections().open();
        Statement st = c.createStatement()) {
      st.execute(WarehouseDdl.createSchema(names));
      for (String ddl : WarehouseDdl.tables(names, true)) {
        st.execute(ddl);
      }
      for (Map.Entry<String, StructType> t : schemas.entrySet()) {
        List<String> into = new ArrayList<>();
        List<String> select = new ArrayList<>();
        for (String column : t.getValue().fieldNames()) {
          into.add(SnowflakeNames.quote(column));
          select.add("\"" + column + "\"");
        }
        st.execute(
            "INSERT INTO "
                + names.qualified(t.getKey())
                + " ("
                + String.join(", ", into)
                + ") SELECT "
                + String.join(", ", select)
                + " FROM \""
                + from
                + "\".\""
                + PHYSICAL.get(t.getKey())
                + "\"");
      }
    }
  }

  /** Lower-case views over the UPPERCASE ones, column for column, timestamps as timestamptz. */
  private static void lowerCase(Connection c, String upper, String lower) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + lower);
      for (String view : List.of("SYNC_CHANGELOG", "SYNC_SNAPSHOT", "SYNC_RUNS")) {
        List<String> cols = new ArrayList<>();
        for (String col :
            PostgresTarget.query(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND"
                    + " table_name = ? ORDER BY ordinal_position",
                upper,
                view)) {
          String cast = col.endsWith("_AT") ? "::timestamptz" : "";
          cols.add("\"" + col + "\"" + cast + " AS " + col.toLowerCase(Locale.ROOT));
        }
        st.execute(
            "CREATE OR REPLACE VIEW "
                + lower
                + "."
                + view.toLowerCase(Locale.ROOT)
                + " AS SELECT "
                + String.join(", ", cols)
                + " FROM \""
                + upper
                + "\".\""
                + view
                + "\"");
      }
    }
  }
}
