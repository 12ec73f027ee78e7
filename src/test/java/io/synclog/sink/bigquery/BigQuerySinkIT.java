package io.synclog.sink.bigquery;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.sink.Canonical;
import io.synclog.sink.SinkContractTest;
import io.synclog.sink.SinkTarget;
import io.synclog.testing.SparkExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared sink contract against a real BigQuery project: the connector's staging loads, the
 * multi-statement transaction, MERGE ... ON FALSE, the JSON type, locks and prune, for real. Runs
 * under {@code mvn verify} when these are set, and is reported as skipped otherwise:
 *
 * <ul>
 *   <li>{@code GOOGLE_APPLICATION_CREDENTIALS}: a service-account key file whose account may run
 *       jobs in the project and create datasets in it (roles BigQuery Job User and Data Editor);
 *   <li>{@code SYNCLOG_IT_BIGQUERY_PROJECT}: the project;
 *   <li>optional {@code SYNCLOG_IT_BIGQUERY_WRITE_METHOD}: {@code direct} (default, the Storage
 *       Write API) or {@code indirect}, which also needs {@code SYNCLOG_IT_BIGQUERY_BUCKET} and the
 *       GCS Hadoop connector on the test classpath (it is not a dependency of the build).
 * </ul>
 *
 * Each test works in fresh datasets named {@code synclog_it_<time>_<namespace>}, dropped at the
 * end.
 */
@ExtendWith(BigQuerySinkIT.Credentials.class)
class BigQuerySinkIT extends SinkContractTest {
  static final String HOW =
      "set GOOGLE_APPLICATION_CREDENTIALS (a service-account key file) and"
          + " SYNCLOG_IT_BIGQUERY_PROJECT (optional SYNCLOG_IT_BIGQUERY_WRITE_METHOD=indirect with"
          + " SYNCLOG_IT_BIGQUERY_BUCKET and the GCS connector on the classpath) to run the live"
          + " BigQuery sink contract";

  /** Decided before any extension starts Spark: without credentials nothing runs. */
  static final class Credentials implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      boolean ok = isSet("GOOGLE_APPLICATION_CREDENTIALS") && isSet("SYNCLOG_IT_BIGQUERY_PROJECT");
      if (ok && "indirect".equals(writeMethod())) {
        ok = isSet("SYNCLOG_IT_BIGQUERY_BUCKET") && gcsConnector();
      }
      return ok
          ? ConditionEvaluationResult.enabled("BigQuery credentials found")
          : ConditionEvaluationResult.disabled(HOW);
    }
  }

  private static boolean gcsConnector() {
    try {
      Class.forName("com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static boolean isSet(String name) {
    String v = System.getenv(name);
    return v != null && !v.isBlank();
  }

  private static String writeMethod() {
    String v = System.getenv("SYNCLOG_IT_BIGQUERY_WRITE_METHOD");
    return v == null || v.isBlank() ? "direct" : v;
  }

  private static final String PREFIX = "synclog_it_" + System.currentTimeMillis() / 1000 + "_";
  private static final Set<String> DATASETS = ConcurrentHashMap.newKeySet();

  static final SinkTarget LIVE =
      new SinkTarget() {
        @Override
        public String kind() {
          return "bigquery";
        }

        @Override
        public Map<String, String> settings(String namespace) {
          String dataset = PREFIX + namespace;
          DATASETS.add(dataset);
          Map<String, String> s = new LinkedHashMap<>();
          s.put("target.kind", "bigquery");
          s.put("target.project", System.getenv("SYNCLOG_IT_BIGQUERY_PROJECT"));
          s.put("target.schema", dataset);
          s.put("target.auth", "service-account");
          s.put("target.credentials-file", System.getenv("GOOGLE_APPLICATION_CREDENTIALS"));
          s.put("target.write-method", writeMethod());
          if ("indirect".equals(writeMethod())) {
            s.put(
                "target.temp-dir",
                "gs://" + System.getenv("SYNCLOG_IT_BIGQUERY_BUCKET") + "/synclog-it");
          }
          return s;
        }

        @Override
        public Map<String, String> secrets() {
          return Map.of();
        }

        @Override
        public List<String> rows(String namespace, String table) {
          BigQuerySettings s = resolved(namespace);
          try {
            if (rest(s).columns(s.project(), s.dataset(), table).isEmpty()) {
              return List.of();
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return Canonical.lines(
              BqConnector.load(
                  SparkExtension.spark(),
                  BqConnector.read(s, s.project() + "." + s.dataset() + "." + table, null)),
              table);
        }

        @Override
        public List<String> leftovers(String namespace) {
          BigQuerySettings s = resolved(namespace);
          try {
            List<String> out = new ArrayList<>();
            for (List<String> row :
                rest(s)
                    .query(
                        "SELECT table_name FROM "
                            + BqNames.quote(s.project() + "." + s.dataset())
                            + ".INFORMATION_SCHEMA.TABLES WHERE STARTS_WITH(table_name, '"
                            + BqNames.STAGING_PREFIX
                            + "')",
                        List.of())
                    .rows()) {
              out.add(row.get(0));
            }
            return out;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }

        private BigQuerySettings resolved(String namespace) {
          Map<String, String> all = new LinkedHashMap<>(settings(namespace));
          return BigQuerySettings.of(
              SyncConfig.resolve(
                  new ConfigSources(Map.of(), Map.of(), Map.of(), all), SyncConfig.Need.TARGET));
        }
      };

  private static BqRest rest(BigQuerySettings s) {
    return new BqRest(s.restEndpoint(), s.parentProject(), BqAuth.of(s, System.getenv()));
  }

  @Override
  protected SinkTarget target() {
    return LIVE;
  }

  @AfterAll
  static void dropDatasets() throws Exception {
    if (DATASETS.isEmpty()) {
      return;
    }
    String project = System.getenv("SYNCLOG_IT_BIGQUERY_PROJECT");
    BigQuerySettings any =
        new BigQuerySettings(
            project,
            project,
            "unused",
            "service-account",
            System.getenv("GOOGLE_APPLICATION_CREDENTIALS"),
            null,
            null,
            "direct",
            null,
            null);
    List<String> drops = new ArrayList<>();
    for (String d : DATASETS) {
      drops.add("DROP SCHEMA IF EXISTS " + BqNames.quote(project + "." + d) + " CASCADE");
    }
    rest(any).query(String.join(";\n", drops), List.of());
  }
}
