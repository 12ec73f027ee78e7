package io.synclog.sink.delta.databricks;

import static io.synclog.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.job.RunSummary;
import io.synclog.log.LogTables;
import io.synclog.log.RunCounts;
import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import io.synclog.sink.FaultHook;
import io.synclog.sink.LogSink;
import io.synclog.sink.References;
import io.synclog.sink.RunLock;
import io.synclog.sink.RunOutput;
import io.synclog.sink.Scenario;
import io.synclog.sink.SinkHarness;
import io.synclog.testing.Rows;
import io.synclog.testing.SparkExtension;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What {@code target.kind=databricks} adds to the contract: names in the session's current catalog,
 * Delta features on new tables (liquid clustering, the snapshot's change data feed), and the
 * changelog's idempotent append.
 */
@ExtendWith(SparkExtension.class)
class DatabricksSinkTest {
  private final SparkSession spark = SparkExtension.spark();

  private Row detail(String table) {
    return spark.sql("DESCRIBE DETAIL " + table).head();
  }

  @Test
  void withoutACatalogTheTablesAreNamedInTheSessionsCurrentCatalog() {
    DatabricksTarget target = new DatabricksTarget(null);
    String ns = References.namespace("current");
    SinkHarness h = new SinkHarness(References.dir(), target, ns, "s1");
    assertThat(h.run(Scenario.STEPS.get(0), FaultHook.NONE).outcome())
        .isEqualTo(RunSummary.RECORDED);

    assertThat(spark.catalog().currentCatalog()).isEqualTo("spark_catalog");
    assertThat(h.sink().tableName("runs")).isEqualTo(ns + ".sync_runs");
    assertThat(h.sink().describe()).isEqualTo("Delta tables in " + ns);
    assertThat(spark.table(ns + ".sync_changelog").count()).isEqualTo(3);
    assertThat(target.rows(ns, LogTables.RUNS)).singleElement().asString().startsWith("s1|r1|");
    // managed tables live under the schema's location, not in the working folder
    assertThat(detail(ns + ".sync_snapshot").<String>getAs("location"))
        .contains(References.dir().resolve("metastore").resolve(ns).toString());
    assertThat(target.leftovers(ns)).isEmpty();
  }

  @Test
  void newTablesAreClusteredAndTheSnapshotFeedsItsChanges() {
    String ns = References.namespace("features");
    SinkHarness h =
        new SinkHarness(References.dir(), DatabricksTarget.INSTANCE, ns, "s1")
            .set("target.liquid-clustering", "true")
            .set("target.change-data-feed", "true");
    h.run(Scenario.STEPS.get(0), FaultHook.NONE);
    String snapshot = "spark_catalog." + ns + ".sync_snapshot";
    long afterFirst =
        spark.sql("DESCRIBE HISTORY " + snapshot + " LIMIT 1").head().<Long>getAs("version");
    h.run(Scenario.STEPS.get(1), FaultHook.NONE);

    Row changelog = detail("spark_catalog." + ns + ".sync_changelog");
    assertThat(changelog.<scala.collection.Seq<String>>getAs("clusteringColumns").mkString(","))
        .isEqualTo("run_date,sync_id");
    assertThat(changelog.<scala.collection.Seq<String>>getAs("partitionColumns").isEmpty())
        .isTrue();
    Row snap = detail(snapshot);
    assertThat(
            snap.<scala.collection.Map<String, String>>getAs("properties")
                .get("delta.enableChangeDataFeed")
                .get())
        .isEqualTo("true");
    assertThat(snap.<scala.collection.Seq<String>>getAs("clusteringColumns").mkString(","))
        .isEqualTo("sync_id");
    // the lock table keeps its partitions: claims of different syncs must not conflict
    Row locks = detail("spark_catalog." + ns + "._synclog_locks");
    assertThat(locks.<scala.collection.Seq<String>>getAs("partitionColumns").mkString(","))
        .isEqualTo("sync_id");

    // run r2: 1 changed, 2 retried as added, 3 removed, 4 added and failed
    List<String> changes =
        Rows.lines(
            spark.sql(
                "SELECT row_id, op_type, status, _change_type FROM table_changes('"
                    + snapshot
                    + "', "
                    + (afterFirst + 1)
                    + ") WHERE _change_type = 'insert' ORDER BY row_id"));
    assertThat(changes)
        .containsExactly(
            "1|changed|succeeded|insert", "2|added|succeeded|insert", "4|added|failed|insert");
    assertThat(
            spark
                .sql(
                    "SELECT row_id FROM table_changes('"
                        + snapshot
                        + "', "
                        + (afterFirst + 1)
                        + ") WHERE _change_type = 'delete'")
                .collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder("1", "2", "3");
  }

  @Test
  void aRetriedChangelogWriteOfOneRunIsAppliedOnce() {
    String ns = References.namespace("txn");
    SinkHarness h = new SinkHarness(References.dir(), DatabricksTarget.INSTANCE, ns, "s1");
    LogSink sink = h.sink();
    sink.prepare();
    Instant started = Instant.parse("2026-03-01T10:00:00Z");
    RunLock lock = sink.acquire(new SyncRun("s1", "r1"), started);
    assertThat(lock.resumed()).isFalse();
    RunOutput output = output(started, 2);
    sink.commit(lock, output, FaultHook.NONE);
    // the same commit again, as a retried task would send it: Delta skips the changelog append
    sink.commit(lock, output, FaultHook.NONE);
    assertThat(spark.table("spark_catalog." + ns + ".sync_changelog").count()).isEqualTo(2);

    // a resumed attempt replaces the run's rows by predicate; its transaction id is already
    // applied, so the commit that landed stays
    RunLock resumed = sink.acquire(new SyncRun("s1", "r1"), started);
    assertThat(resumed.resumed()).isTrue();
    sink.commit(resumed, output(started, 1), FaultHook.NONE);
    assertThat(spark.table("spark_catalog." + ns + ".sync_changelog").count()).isEqualTo(2);
    assertThat(spark.table("spark_catalog." + ns + ".sync_runs").count()).isEqualTo(1);
    assertThat(spark.table("spark_catalog." + ns + ".sync_snapshot").count()).isEqualTo(1);
    sink.release(resumed);
    assertThat(sink.heldLock("s1")).isEmpty();
  }

  private RunOutput output(Instant started, int rows) {
    Date day = Date.valueOf("2026-03-01");
    List<Row> changelog =
        List.of(
                row("s1", "r1", "added", "1", "succeeded", null, "{\"id\":1}", 11L, day),
                row("s1", "r1", "added", "2", "succeeded", null, "{\"id\":2}", 12L, day))
            .subList(0, rows);
    RunRecord run =
        new RunRecord(
            "s1",
            "r1",
            "id",
            "Salesforce",
            "model s1",
            "m-s1",
            "succeeded",
            null,
            started,
            started.plusSeconds(60),
            RunCounts.of(List.of(new RunCounts.Cell("added", "succeeded", rows))),
            0,
            0,
            "id:bigint",
            Instant.now());
    return new RunOutput(
        Rows.frame(LogTables.changelogSchema(false), changelog),
        Rows.frame(
            LogTables.snapshotSchema(false),
            row("s1", "added", "1", "succeeded", null, "{\"id\":1}", 11L, true, "r1")),
        run,
        LocalDate.of(2026, 3, 1));
  }
}
