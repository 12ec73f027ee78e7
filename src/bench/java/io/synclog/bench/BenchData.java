package io.synclog.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import io.synclog.job.SparkSessions;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Generates the benchmark's inputs as Parquet: an initial model and the previous model (ids 0 to
 * N-1), the changed model, the statuses of the three runs, and the expected counts ({@code
 * expected.properties}).
 *
 * <p>The initial model differs from the previous one in change-rate of its rows, so the untimed run
 * that records the previous model is a usual run (it plans about change-rate of the rows) and the
 * timed run starts from a steady state, not from a first load where every row was just added.
 *
 * <p>A row is removed, changed or kept by a stable hash of its id: a third of the change rate each
 * for removed and changed rows, and a third again of new rows (ids from N up) added. The timed
 * run's statuses cover exactly those planned rows, failing fail-rate of them.
 *
 * <p>Usage: {@code BenchData <dir> <rows> <change-rate> <fail-rate>}.
 */
public final class BenchData {
  private BenchData() {}

  /** Where each input lives under the benchmark folder. */
  static final String INITIAL_MODEL = "input/initial_model";

  static final String INITIAL_STATUSES = "input/initial_statuses";
  static final String PREVIOUS_MODEL = "input/previous_model";

  static final String MODEL = "input/model";
  static final String PREVIOUS_STATUSES = "input/previous_statuses";
  static final String STATUSES = "input/statuses";
  static final String EXPECTED = "expected.properties";

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    long rows = Long.parseLong(args[1]);
    double changeRate = Double.parseDouble(args[2]);
    double failRate = Double.parseDouble(args[3]);
    try (SparkSessions.Handle handle = SparkSessions.getOrCreate("local[*]")) {
      generate(handle.spark(), dir, rows, changeRate, failRate);
    }
  }

  static void generate(SparkSession spark, Path dir, long rows, double changeRate, double failRate)
      throws IOException {
    long added = Math.round(rows * changeRate / 3);
    Column bucket = expr("pmod(xxhash64(id, 42), 1000000) / 1000000.0");
    Column removed = bucket.lt(changeRate / 3);
    Column changed = bucket.geq(changeRate / 3).and(bucket.lt(2 * changeRate / 3));

    Column changedBefore = changedBefore(changeRate, "id");
    Dataset<Row> initial = customers(spark.range(0, rows), changedBefore);
    Dataset<Row> previous = customers(spark.range(0, rows), lit(false));
    Dataset<Row> kept = customers(spark.range(0, rows).where(not(removed)), changed);
    Dataset<Row> model = kept.unionByName(customers(spark.range(rows, rows + added), lit(false)));
    write(initial, dir.resolve(INITIAL_MODEL));
    write(previous, dir.resolve(PREVIOUS_MODEL));
    write(model, dir.resolve(MODEL));

    write(succeeded(spark.range(0, rows).toDF()), dir.resolve(INITIAL_STATUSES));
    write(
        succeeded(spark.range(0, rows).toDF().where(changedBefore)),
        dir.resolve(PREVIOUS_STATUSES));
    Dataset<Row> planned =
        spark
            .range(0, rows)
            .toDF()
            .where(removed.or(changed))
            .unionByName(spark.range(rows, rows + added).toDF());
    Column fails = expr("pmod(xxhash64(id, 7), 1000000) / 1000000.0").lt(failRate);
    Column reason =
        when(expr("pmod(id, 2) = 0"), lit("INVALID_EMAIL: email address is not valid"))
            .otherwise(lit("ENTITY_IS_LOCKED: unable to obtain exclusive access to this record"));
    Dataset<Row> statuses =
        planned.select(
            col("id").cast("string").as("row_id"),
            when(fails, lit("failed")).otherwise(lit("succeeded")).as("status"),
            when(fails, reason).as("failed_reason"));
    write(statuses, dir.resolve(STATUSES));

    Properties expected = new Properties();
    expected.setProperty("added", Long.toString(added));
    expected.setProperty("changed", Long.toString(spark.range(0, rows).where(changed).count()));
    expected.setProperty("removed", Long.toString(spark.range(0, rows).where(removed).count()));
    expected.setProperty(
        "failed",
        Long.toString(
            spark
                .read()
                .parquet(dir.resolve(STATUSES).toString())
                .where("status = 'failed'")
                .count()));
    try (Writer w = Files.newBufferedWriter(dir.resolve(EXPECTED))) {
      expected.store(w, "rows the second run plans");
    }
  }

  /** Whether the initial model differs from the previous one in the row with this id column. */
  static Column changedBefore(double changeRate, String idColumn) {
    return expr("pmod(xxhash64(" + idColumn + ", 43), 1000000) / 1000000.0").lt(changeRate);
  }

  /**
   * Customer-like rows for the given ids: strings, a decimal, an int and two timestamps, all
   * derived from the id. A changed row has one more order, a higher lifetime value and a later
   * update time.
   */
  static Dataset<Row> customers(Dataset<Long> ids, Column changed) {
    return ids.withColumn("changed", changed)
        .select(
            col("id"),
            expr("concat('user', id, '@example.com')").as("email"),
            expr("concat(element_at(array('Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Ken',"
                    + " 'Margaret', 'Dennis'), cast(pmod(xxhash64(id, 1), 8) + 1 as int)),"
                    + " ' ', element_at(array('Lovelace', 'Turing', 'Hopper', 'Dijkstra',"
                    + " 'Liskov', 'Thompson', 'Hamilton', 'Ritchie'),"
                    + " cast(pmod(xxhash64(id, 2), 8) + 1 as int)))")
                .as("full_name"),
            expr("element_at(array('US', 'DE', 'FR', 'GB', 'BR', 'IN', 'JP', 'CA'),"
                    + " cast(pmod(xxhash64(id, 3), 8) + 1 as int))")
                .as("country"),
            expr("element_at(array('free', 'pro', 'team', 'enterprise'),"
                    + " cast(pmod(xxhash64(id, 4), 4) + 1 as int))")
                .as("plan"),
            expr("cast(pmod(xxhash64(id, 5), 10000000) / 100.0 + if(changed, 1, 0)"
                    + " as decimal(12,2))")
                .as("lifetime_value"),
            expr("cast(pmod(xxhash64(id, 6), 200) + if(changed, 1, 0) as int)").as("orders"),
            expr("timestamp_seconds(1400000000 + pmod(xxhash64(id, 8), 300000000))")
                .as("signup_at"),
            expr("timestamp_micros(1700000000000000 + pmod(xxhash64(id, 9), 30000000000000)"
                    + " + if(changed, 86400000000, 0))")
                .as("updated_at"));
  }

  private static Dataset<Row> succeeded(Dataset<Row> ids) {
    return ids.select(
        col("id").cast("string").as("row_id"),
        lit("succeeded").as("status"),
        lit(null).cast("string").as("failed_reason"));
  }

  private static void write(Dataset<Row> rows, Path path) {
    rows.write().mode("overwrite").parquet(path.toString());
  }
}
