package io.synclog.bench;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.synclog.job.SparkSessions;
import java.nio.file.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The naive Spark baseline: a full outer join of the two model extracts on the key, rows compared
 * through {@code to_json} of the whole row, the statuses joined in, and the changelog and next
 * snapshot written as Parquet. The joined rows are cached once, as anyone writing two outputs from
 * one join would.
 *
 * <p>Usage: {@code NaiveSparkDiff <dir>}; writes {@code <dir>/out/naive/{changelog,snapshot}}.
 */
public final class NaiveSparkDiff {
  private NaiveSparkDiff() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    try (SparkSessions.Handle handle = SparkSessions.getOrCreate("local[*]")) {
      run(handle.spark(), dir);
    }
  }

  static void run(SparkSession spark, Path dir) {
    Dataset<Row> previous =
        asJson(spark.read().parquet(dir.resolve(BenchData.PREVIOUS_MODEL).toString()), "p");
    Dataset<Row> model = asJson(spark.read().parquet(dir.resolve(BenchData.MODEL).toString()), "m");
    Dataset<Row> statuses =
        spark
            .read()
            .parquet(dir.resolve(BenchData.STATUSES).toString())
            .select(
                col("row_id").as("s_row_id"),
                col("status").as("s_status"),
                col("failed_reason").as("s_reason"));

    Column op =
        when(col("p_id").isNull(), lit("added"))
            .when(col("m_id").isNull(), lit("removed"))
            .when(col("m_json").notEqual(col("p_json")), lit("changed"))
            .otherwise(lit("unchanged"));
    Dataset<Row> diff =
        model
            .join(previous, col("m_id").equalTo(col("p_id")), "full_outer")
            .select(
                coalesce(col("m_id"), col("p_id")).cast("string").as("row_id"),
                op.as("op_type"),
                coalesce(col("m_json"), col("p_json")).as("fields"));
    Column planned = col("op_type").notEqual("unchanged");
    Dataset<Row> merged =
        diff.join(statuses, col("row_id").equalTo(col("s_row_id")), "left")
            .select(
                col("op_type"),
                col("row_id"),
                when(planned, coalesce(col("s_status"), lit("aborted")))
                    .otherwise(lit("succeeded"))
                    .as("status"),
                when(planned.and(col("s_status").equalTo("failed")), col("s_reason"))
                    .as("failed_reason"),
                col("fields"))
            .persist(StorageLevel.MEMORY_AND_DISK());

    Path out = dir.resolve("out/naive");
    merged.where(planned).write().mode("overwrite").parquet(out.resolve("changelog").toString());
    merged
        .where(col("op_type").notEqual("removed").or(col("status").notEqual("succeeded")))
        .write()
        .mode("overwrite")
        .parquet(out.resolve("snapshot").toString());
    merged.unpersist();
  }

  /** The key and the whole row as JSON, the key column renamed with the given prefix. */
  private static Dataset<Row> asJson(Dataset<Row> rows, String prefix) {
    Column[] all = new Column[rows.columns().length];
    for (int i = 0; i < all.length; i++) {
      all[i] = col(rows.columns()[i]);
    }
    return rows.select(col("id").as(prefix + "_id"), to_json(struct(all)).as(prefix + "_json"));
  }
}
