package io.synclog.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.testing.SparkExtension;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.LogicalRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class PinnedTest {
  private final SparkSession spark = SparkExtension.spark();
  @TempDir Path dir;

  private void write(String table, long from, long to) {
    spark.range(from, to).write().format("delta").mode("overwrite").save(table);
  }

  private static List<Long> ids(Dataset<Row> rows) {
    return rows.orderBy("id").collectAsList().stream().map(r -> r.getLong(0)).toList();
  }

  @Test
  void keepsTheRowsAsComputedWhenTheTableTheyCameFromIsRewritten() {
    String table = dir.resolve("t").toString();
    write(table, 1, 3);
    Dataset<Row> pinned = Pinned.pin(spark.read().format("delta").load(table).where("id > 0"));
    assertThat(ids(pinned)).containsExactly(1L, 2L);

    write(table, 10, 13);

    List<Long> after = ids(pinned);
    System.out.println("pinned after the table was rewritten: expected [1, 2], actual " + after);
    assertThat(after).containsExactly(1L, 2L);
    assertThat(ids(spark.read().format("delta").load(table))).containsExactly(10L, 11L, 12L);
    Pinned.release(pinned);
  }

  @Test
  void releaseFreesTheKeptRowsAndLeavesOtherDatasetsAlone() {
    Dataset<Row> pinned = Pinned.pin(spark.range(0, 100).toDF());
    assertThat(pinned.count()).isEqualTo(100);
    int rdd = ((LogicalRDD) pinned.queryExecution().logical()).rdd().id();
    assertThat(spark.sparkContext().getPersistentRDDs().contains(rdd)).isTrue();

    Pinned.release(pinned);

    assertThat(spark.sparkContext().getPersistentRDDs().contains(rdd)).isFalse();
    Dataset<Row> plain = spark.range(0, 3).toDF().cache();
    Pinned.release(plain);
    Pinned.release(null);
    assertThat(spark.sharedState().cacheManager().lookupCachedData(plain).isDefined()).isTrue();
    plain.unpersist();
  }
}
