package io.synclog.sink.delta.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.sink.DeltaTarget;
import io.synclog.sink.References;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import io.synclog.views.AuditQueries;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The example queries under {@code sql/spark/} are the Databricks SQL ones: each runs unchanged
 * against the three tables addressed by {@code catalog.schema.table}, and answers exactly as it
 * does over the same history recorded into Delta tables by path.
 */
@ExtendWith(SparkExtension.class)
class DatabricksAuditQueriesTest {
  private final SparkSession spark = SparkExtension.spark();

  private List<String> answer(String name, Function<String, String> table) {
    Map<String, String> relations = new LinkedHashMap<>();
    for (String t : List.of("sync_changelog", "sync_snapshot", "sync_runs")) {
      relations.put(t, table.apply(t));
    }
    relations.put(
        AuditQueries.ERROR_RULES,
        "(" + AuditQueries.bind(AuditQueries.text(AuditQueries.ERROR_RULES), Map.of()) + ")");
    return Rows.lines(spark.sql(AuditQueries.bind(AuditQueries.text(name), relations)));
  }

  @Test
  void everyQueryAnswersOverNamedTablesAsOverPaths() {
    String byName = References.scenario(DatabricksTarget.INSTANCE);
    String byPath = References.scenario(DeltaTarget.INSTANCE);
    int answered = 0;
    for (String name : AuditQueries.NAMES) {
      List<String> named = answer(name, t -> "spark_catalog." + byName + "." + t);
      List<String> pathed =
          answer(
              name,
              t ->
                  AuditQueries.deltaPath(
                      References.dir()
                          .resolve(byPath)
                          .resolve("warehouse/sync_audit")
                          .resolve(t)
                          .toString()));
      System.out.println(
          "[" + name + "] by name: " + named + "\n[" + name + "] by path: " + pathed);
      assertThat(named).as(name).containsExactlyElementsOf(pathed);
      answered += named.isEmpty() ? 0 : 1;
    }
    // the golden history has errors, entries and exits: all but flapping_rows have answers
    assertThat(answered).isGreaterThanOrEqualTo(AuditQueries.NAMES.size() - 1);
    assertThat(answer("most_common_errors", t -> "spark_catalog." + byName + "." + t))
        .containsExactly("rate limited|1");
  }
}
