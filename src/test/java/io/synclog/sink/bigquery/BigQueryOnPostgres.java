package io.synclog.sink.bigquery;

import io.synclog.sink.Canonical;
import io.synclog.sink.SinkTarget;
import io.synclog.sink.postgres.PostgresTarget;
import io.synclog.testing.SparkExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.RuntimeConfig;

/**
 * BigQuery played offline by the embedded PostgreSQL server, for the unchanged sink: synclog's REST
 * client and the connector's REST calls go to {@link BigQueryStub}, which executes them on {@link
 * PgWarehouse} (a dataset is a schema); the connector's indirect writes stage Avro files on s3proxy
 * ({@code gs://} through S3A) for the stub's load jobs; its reads go to {@link BqReadServer}, the
 * Storage Read API over TLS. Started once, stopped with {@link #stop()}, which puts back the
 * Hadoop, Spark and trust-store settings it changed.
 *
 * <p>What this proves is that the sink's requests, SQL and data round trips mean what they should;
 * BigQuery's own parser, JSON type, quotas and transaction conflicts are for the live {@code
 * BigQuerySinkIT}.
 */
final class BigQueryOnPostgres {
  static final String PROJECT = "stub-proj";
  static final String BUCKET = "stage-bucket";
  static final String TOKEN = "stand-in-token";
  private static final String CONNECTOR = "spark.datasource.bigquery.";

  private static Path dir;
  private static S3ProxyProcess s3;
  private static BigQueryStub stub;
  private static LoopbackTls tls;
  private static BqReadServer reads;
  private static Map<String, String> hadoop;
  private static final Map<String, String> SPARK = new HashMap<>();

  private BigQueryOnPostgres() {}

  static synchronized void start() throws Exception {
    if (stub != null) {
      return;
    }
    dir = Files.createTempDirectory("synclog-bq-stand-in");
    s3 = S3ProxyProcess.start(dir, BUCKET);
    stub = new BigQueryStub(new PgWarehouse(s3.file(BUCKET).getParent()));
    tls = LoopbackTls.start(dir);
    reads = BqReadServer.start(tls);
    hadoop =
        S3ProxyProcess.apply(
            SparkExtension.spark().sparkContext().hadoopConfiguration(), s3.hadoopSettings());
    RuntimeConfig conf = SparkExtension.spark().conf();
    Map<String, String> connector =
        Map.of(CONNECTOR + "bigQueryStorageGrpcEndpoint", reads.endpoint());
    connector.forEach(
        (k, v) -> {
          SPARK.put(k, conf.contains(k) ? conf.get(k) : null);
          conf.set(k, v);
        });
  }

  static synchronized void stop() {
    if (stub == null) {
      return;
    }
    RuntimeConfig conf = SparkExtension.spark().conf();
    SPARK.forEach(
        (k, v) -> {
          if (v == null) {
            conf.unset(k);
          } else {
            conf.set(k, v);
          }
        });
    S3ProxyProcess.restore(SparkExtension.spark().sparkContext().hadoopConfiguration(), hadoop);
    reads.close();
    tls.close();
    stub.close();
    s3.close();
    stub = null;
  }

  static BigQueryStub stub() {
    return stub;
  }

  static BqReadServer reads() {
    return reads;
  }

  /** The sink as synclog opens it, indirect writes, pointed at the stand-in. */
  static final SinkTarget TARGET =
      new SinkTarget() {
        @Override
        public String kind() {
          return "bigquery-on-postgres";
        }

        @Override
        public Map<String, String> settings(String namespace) {
          Map<String, String> s = new LinkedHashMap<>();
          s.put("target.kind", "bigquery");
          s.put("target.project", PROJECT);
          s.put("target.schema", namespace);
          s.put("target.auth", "oauth");
          s.put("target.write-method", "indirect");
          s.put("target.temp-dir", "gs://" + BUCKET + "/synclog");
          s.put("target.endpoint", stub.endpoint());
          return s;
        }

        @Override
        public Map<String, String> secrets() {
          return Map.of("target.token", TOKEN);
        }

        /** Straight from PostgreSQL: what the sink's loads and scripts left in the tables. */
        @Override
        public List<String> rows(String namespace, String table) {
          if (PostgresTarget.query(
                  "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name"
                      + " = ?",
                  namespace,
                  table)
              .isEmpty()) {
            return List.of();
          }
          return Canonical.lines(PostgresTarget.table(namespace, table), table);
        }

        @Override
        public List<String> leftovers(String namespace) {
          return PostgresTarget.query(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND"
                  + " table_name LIKE '\\_synclog\\_stage\\_%'",
              namespace);
        }
      };
}
