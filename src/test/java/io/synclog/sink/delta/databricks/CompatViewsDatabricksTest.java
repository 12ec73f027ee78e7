package io.synclog.sink.delta.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.sink.DeltaTarget;
import io.synclog.sink.References;
import io.synclog.testing.SparkExtension;
import io.synclog.views.CompatScenario;
import io.synclog.views.CompatViewsJob;
import io.synclog.views.HightouchExamples;
import io.synclog.views.HightouchViews;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code views --compat hightouch} for {@code target.kind=databricks}: the tables by name in the
 * test session's catalog (the scenario's Delta tables, registered by name in a schema of their
 * own), the views in another schema of the same catalog, named {@code catalog.schema.view}. On
 * Databricks the reference's third query runs as written (Databricks SQL has QUALIFY); here,
 * open-source Spark runs its rewrite.
 */
@ExtendWith(SparkExtension.class)
class CompatViewsDatabricksTest {
  private static String tables;

  private static SparkSession spark() {
    return SparkExtension.spark();
  }

  @BeforeAll
  static void registerTheTablesByName() {
    String byPath = CompatScenario.namespace(DeltaTarget.INSTANCE);
    tables = References.namespace("compat_by_name");
    DatabricksTarget.createSchema(tables);
    for (String t : List.of("sync_changelog", "sync_snapshot", "sync_runs")) {
      String path =
          References.dir().resolve(byPath).resolve("warehouse/sync_audit/" + t).toString();
      spark()
          .sql(
              "CREATE TABLE spark_catalog."
                  + tables
                  + "."
                  + t
                  + " USING delta LOCATION '"
                  + path
                  + "'");
    }
  }

  private static List<String> run(
      DatabricksTarget target, String schema, ByteArrayOutputStream out) {
    return CompatViewsJob.run(
        spark(),
        CompatScenario.config(target, tables, Map.of()),
        HightouchViews.NAME,
        schema,
        new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @Test
  void theViewsAreNamedInTheTablesCatalogAndAnswerTheReferenceQueries() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(run(DatabricksTarget.INSTANCE, "dbx_hightouch", out))
        .containsExactly(
            "spark_catalog.dbx_hightouch.sync_changelog",
            "spark_catalog.dbx_hightouch.sync_snapshot",
            "spark_catalog.dbx_hightouch.sync_runs");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("synclog: created view spark_catalog.dbx_hightouch.sync_runs");
    assertThat(
            spark()
                .sql("SHOW CREATE TABLE spark_catalog.dbx_hightouch.sync_changelog")
                .first()
                .getString(0))
        .contains("FROM `spark_catalog`.`" + tables + "`.`sync_changelog`");
    HightouchExamples.assertAnswers(
        "spark_catalog.dbx_hightouch",
        HightouchExamples.CURRENT_ROWS_WITHOUT_QUALIFY,
        sql -> HightouchExamples.lines(spark().sql(sql)));
  }

  @Test
  void withoutACatalogTheViewsGoInTheSessionsCurrentCatalog() {
    assertThat(run(new DatabricksTarget(null), "dbx_current", new ByteArrayOutputStream()))
        .containsExactly(
            "dbx_current.sync_changelog", "dbx_current.sync_snapshot", "dbx_current.sync_runs");
    assertThat(spark().table("spark_catalog.dbx_current.sync_runs").count()).isEqualTo(4);
  }
}
