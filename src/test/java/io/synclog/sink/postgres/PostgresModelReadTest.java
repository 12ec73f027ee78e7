package io.synclog.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synclog.config.SyncConfig;
import io.synclog.error.SyncLogException;
import io.synclog.job.RunSummary;
import io.synclog.sink.FaultHook;
import io.synclog.sink.References;
import io.synclog.sink.SinkHarness;
import io.synclog.source.ModelSource;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reading the model from Postgres over JDBC, in parallel, with the primary key checked first. */
@ExtendWith(SparkExtension.class)
class PostgresModelReadTest {
  private static final int ROWS = 1000;

  @BeforeAll
  static void createModel() throws Exception {
    try (Connection c = EmbeddedPg.admin();
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS public.model_customers");
      st.execute(
          "CREATE TABLE public.model_customers AS SELECT g::bigint AS id, 'u' || g || '@x' AS"
              + " email, CASE WHEN g % 3 = 0 THEN 'pro' ELSE 'free' END AS plan FROM"
              + " generate_series(1, "
              + ROWS
              + ") g");
      st.execute("INSERT INTO public.model_customers VALUES (NULL, 'nobody@x', 'free')");
      st.execute("GRANT SELECT ON public.model_customers TO " + EmbeddedPg.APP_USER);
    }
  }

  private static SinkHarness harness(String syncId) {
    return new SinkHarness(
            References.dir(), PostgresTarget.INSTANCE, References.namespace("model"), syncId)
        .set("model.jdbc-url", EmbeddedPg.url())
        .set("model.user", EmbeddedPg.APP_USER);
  }

  private static Dataset<Row> read(SinkHarness h, Map<String, String> extra) {
    SyncConfig config = h.config("r1", extra);
    return ModelSource.read(SparkExtension.spark(), config);
  }

  @Test
  void splitsOnAHashOfThePrimaryKeyAndReadsEveryRowOnce() {
    Dataset<Row> model =
        read(
            harness("s1"),
            Map.of("model.table", "public.model_customers", "model.partitions", "4"));
    assertThat(model.rdd().getNumPartitions()).isEqualTo(4);
    assertThat(model.count()).isEqualTo(ROWS + 1);
    assertThat(model.where("id IS NOT NULL").select("id").distinct().count()).isEqualTo(ROWS);
    assertThat(model.where("id IS NULL").count()).isEqualTo(1);
    // every split holds a fair share
    List<Integer> sizes = new ArrayList<>();
    model.javaRDD().glom().collect().forEach(p -> sizes.add(p.size()));
    assertThat(sizes).allMatch(n -> n > ROWS / 8);
  }

  @Test
  void splitsOnAGivenNumericColumn() {
    Dataset<Row> model =
        read(
            harness("s1"),
            Map.of(
                "model.table",
                "public.model_customers",
                "model.partitions",
                "3",
                "model.partition-column",
                "id"));
    assertThat(model.rdd().getNumPartitions()).isEqualTo(3);
    assertThat(model.count()).isEqualTo(ROWS + 1);
  }

  @Test
  void readsAQuery() {
    Dataset<Row> model =
        read(
            harness("s1"),
            Map.of("model.query", "SELECT id, email FROM public.model_customers WHERE id <= 10"));
    assertThat(Rows.lines(model, "id")).hasSize(10);
  }

  @Test
  void aMissingPrimaryKeyFailsBeforeAnythingIsRead() {
    assertThatThrownBy(
            () ->
                read(
                    harness("s1").set("model.primary-key", "customer_id"),
                    Map.of("model.table", "public.model_customers")))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("customer_id")
        .hasMessageContaining("id, email, plan")
        .extracting(e -> ((SyncLogException) e).code())
        .isEqualTo("MODEL_NO_PRIMARY_KEY");
  }

  @Test
  void recordsARunWhoseModelIsInPostgres() {
    SinkHarness h = harness("jdbc");
    List<Row> statuses = new ArrayList<>();
    for (long id = 1; id <= ROWS; id++) {
      statuses.add(
          Rows.row(
              Long.toString(id),
              id % 100 == 0 ? "failed" : "succeeded",
              id % 100 == 0 ? "bad" : null));
    }
    h.statuses("r1", statuses);
    RunSummary summary =
        h.record(
            "r1",
            Map.of("model.table", "public.model_customers", "model.partitions", "2"),
            FaultHook.NONE);
    // the row with a null key is read too, and logged as failed
    assertThat(summary.counts().of("added").planned()).isEqualTo(ROWS + 1);
    assertThat(summary.counts().of("added").failed()).isEqualTo(ROWS / 100 + 1);
    assertThat(summary.rejectedRows()).isEqualTo(1);
    assertThat(
            PostgresTarget.query(
                "SELECT count(*) FROM \""
                    + h.namespace()
                    + "\".sync_snapshot WHERE sync_id = 'jdbc'"))
        .containsExactly(Integer.toString(ROWS));
  }
}
