package io.synclog.sink.bigquery;

import static io.synclog.plan.Columns.FIELDS;
import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;

/**
 * The spark-bigquery-connector's options for synclog's reads and staging writes, built from the
 * settings as plain maps so they are unit-tested without Spark.
 *
 * <p>Indirect writes stage Avro files under {@code target.temp-dir} and load them with a load job;
 * Avro plus the column metadata {@code sqlType=JSON} is what makes the connector create a JSON
 * column. Direct writes use the Storage Write API. Either way the connector only fills a per-run
 * staging table; the swap into the real tables is synclog's own transaction.
 */
final class BqConnector {
  static final String FORMAT = "bigquery";

  private BqConnector() {}

  /** Connection and authentication options shared by reads and writes. */
  static Map<String, String> common(BigQuerySettings s) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("parentProject", s.parentProject());
    switch (s.auth()) {
      case "service-account" -> {
        if (s.credentialsFile() != null) {
          o.put("credentialsFile", s.credentialsFile());
        } else {
          o.put(
              "credentials",
              Base64.getEncoder()
                  .encodeToString(s.credentials().reveal().getBytes(StandardCharsets.UTF_8)));
        }
      }
      case "oauth" -> o.put("gcpAccessToken", s.token().reveal());
      default -> {
        // application default credentials: the connector finds them itself
      }
    }
    if (s.endpoint() != null) {
      o.put("bigQueryHttpEndpoint", s.endpoint());
    }
    return o;
  }

  /** Options of a staging write into {@code table} (project.dataset.table). */
  static Map<String, String> write(BigQuerySettings s, String table) {
    Map<String, String> o = common(s);
    o.put("table", table);
    o.put("writeMethod", s.writeMethod());
    o.put("createDisposition", "CREATE_IF_NEEDED");
    if ("indirect".equals(s.writeMethod())) {
      o.put("intermediateFormat", "avro");
      o.put("temporaryGcsBucket", s.tempDir());
    } else {
      o.put("writeAtLeastOnce", "false");
    }
    return o;
  }

  /** Options of a read of one table, filtered on the BigQuery side. */
  static Map<String, String> read(BigQuerySettings s, String table, String filter) {
    Map<String, String> o = common(s);
    o.put("table", table);
    if (filter != null) {
      o.put("filter", filter);
    }
    return o;
  }

  /** Whether a staged table also keeps {@code fields} as text, next to the JSON column. */
  enum FieldsText {
    KEEP,
    DROP
  }

  /** The rows to stage: {@code fields} tagged as JSON, plus its exact text if asked. */
  static Dataset<Row> staged(Dataset<Row> rows, FieldsText text) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      if (f.name().equals(FIELDS)) {
        cols.add(
            col(FIELDS).as(FIELDS, new MetadataBuilder().putString("sqlType", "JSON").build()));
        if (text == FieldsText.KEEP) {
          cols.add(col(FIELDS).as(BqDdl.FIELDS_TEXT));
        }
      } else {
        cols.add(col(f.name()));
      }
    }
    return rows.select(cols.toArray(new Column[0]));
  }

  /** Writes rows into a staging table, replacing whatever an earlier attempt left there. */
  static void write(Dataset<Row> rows, Map<String, String> options) {
    protect(rows.sparkSession());
    rows.write().format(FORMAT).options(options).mode(SaveMode.Overwrite).save();
  }

  /**
   * Reads through the connector. A read session is a snapshot of the table as it was when the
   * session was created, and the connector by default reuses an identical session for five minutes:
   * a later read of the same table in the same driver (the next run of a sync, a plan read after it
   * was stored) would see the old rows. So no read reuses a session.
   */
  static Dataset<Row> load(SparkSession spark, Map<String, String> options) {
    protect(spark);
    return spark
        .read()
        .format(FORMAT)
        .options(options)
        .option(READ_SESSION_CACHING, "false")
        .load();
  }

  static final String READ_SESSION_CACHING = "enableReadSessionCaching";

  static final String REDACTION = "spark.sql.redaction.options.regex";

  /**
   * Makes Spark mask the credentials options wherever it prints data source options (plans, the
   * UI): its default patterns catch "token" but not "credentials".
   */
  static void protect(SparkSession spark) {
    String current = spark.conf().get(REDACTION, "(?i)url");
    if (!Pattern.compile(current).matcher("credentials").find()) {
      spark.conf().set(REDACTION, current + "|(?i)credentials");
    }
  }
}
