package io.synclog.sink.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.config.Secret;
import io.synclog.sink.postgres.EmbeddedPg;
import io.synclog.testing.SparkExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reads through the real connector from the stand-in ({@link BigQueryOnPostgres}), where, as in
 * BigQuery, a read session is a snapshot of the table when it was created. The connector reuses an
 * identical session for five minutes unless told not to: the sink's reads must not, or the next run
 * of a sync in the same driver would diff against the snapshot table as it was before.
 */
@ExtendWith(SparkExtension.class)
class BigQueryReadSessionTest {
  private static final String DATASET = "bq_read_sessions";

  @BeforeAll
  static void start() throws Exception {
    BigQueryOnPostgres.start();
    exec("DROP SCHEMA IF EXISTS " + DATASET + " CASCADE");
    exec("CREATE SCHEMA " + DATASET);
  }

  @AfterAll
  static void stop() {
    BigQueryOnPostgres.stop();
  }

  private static BigQuerySettings settings() {
    return new BigQuerySettings(
        BigQueryOnPostgres.PROJECT,
        BigQueryOnPostgres.PROJECT,
        DATASET,
        "oauth",
        null,
        null,
        Secret.of(BigQueryOnPostgres.TOKEN),
        "indirect",
        BigQueryOnPostgres.BUCKET + "/synclog",
        BigQueryOnPostgres.stub().endpoint());
  }

  private static Map<String, String> options(String table) {
    return BqConnector.read(
        settings(),
        BigQueryOnPostgres.PROJECT + "." + DATASET + "." + table,
        BqSql.syncFilter("it's"));
  }

  private static List<String> rows(List<Row> rows) {
    return rows.stream().map(r -> r.getString(0) + "|" + r.get(1)).sorted().toList();
  }

  @Test
  void everyReadOfTheSinkSeesTheTableAsItIsNow() throws SQLException {
    exec("CREATE TABLE " + DATASET + ".now (sync_id text, n bigint)");
    exec("INSERT INTO " + DATASET + ".now VALUES ('it''s', 1), ('other', 2)");
    assertThat(rows(BqConnector.load(SparkExtension.spark(), options("now")).collectAsList()))
        .containsExactly("it's|1");

    exec("INSERT INTO " + DATASET + ".now VALUES ('it''s', 3)");
    assertThat(rows(BqConnector.load(SparkExtension.spark(), options("now")).collectAsList()))
        .containsExactly("it's|1", "it's|3");
    // the sync's rows are chosen by BigQuery, not by Spark after reading the whole table
    assertThat(BigQueryOnPostgres.reads().restrictions())
        .anyMatch(r -> r.contains(BqSql.syncFilter("it's")));
  }

  @Test
  void theConnectorsDefaultReusesASessionAndShowsTheOldRows() throws SQLException {
    exec("CREATE TABLE " + DATASET + ".cached (sync_id text, n bigint)");
    exec("INSERT INTO " + DATASET + ".cached VALUES ('it''s', 1)");
    Map<String, String> options = options("cached");
    assertThat(rows(readWithDefaults(options))).containsExactly("it's|1");

    exec("INSERT INTO " + DATASET + ".cached VALUES ('it''s', 3)");
    assertThat(rows(readWithDefaults(options))).as("the reused session").containsExactly("it's|1");
  }

  @Test
  void readsEveryColumnTypeOfTheTablesAlikeInArrowAndAvro() throws SQLException {
    exec(
        "CREATE TABLE "
            + DATASET
            + ".typed (sync_id text NOT NULL, n bigint, ok boolean, at timestamptz, day date,"
            + " fields jsonb, x double precision)");
    exec(
        "INSERT INTO "
            + DATASET
            + ".typed VALUES ('it''s', 7, true, '2026-03-01 10:00:00.123456+00', '2026-03-01',"
            + " '{\"b\": 1, \"a\": \"\\u00e9\"}', 1.5), ('it''s', NULL, NULL, NULL, NULL, NULL, NULL)");
    List<String> expected =
        List.of(
            "it's|7|true|2026-03-01T10:00:00.123456Z|2026-03-01|{\"a\": \"é\", \"b\": 1}|1.5",
            "it's|null|null|null|null|null|null");
    for (String format : List.of("ARROW", "AVRO")) {
      List<String> lines = new java.util.ArrayList<>();
      for (Row r :
          SparkExtension.spark()
              .read()
              .format(BqConnector.FORMAT)
              .options(options("typed"))
              .option("readDataFormat", format)
              .option(BqConnector.READ_SESSION_CACHING, "false")
              .load()
              .collectAsList()) {
        List<String> cells = new java.util.ArrayList<>();
        for (int i = 0; i < r.length(); i++) {
          Object v = r.get(i);
          cells.add(
              v instanceof java.sql.Timestamp t ? t.toInstant().toString() : String.valueOf(v));
        }
        lines.add(String.join("|", cells));
      }
      assertThat(lines).as(format).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static List<Row> readWithDefaults(Map<String, String> options) {
    return SparkExtension.spark()
        .read()
        .format(BqConnector.FORMAT)
        .options(options)
        .load()
        .collectAsList();
  }

  private static void exec(String sql) throws SQLException {
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
