package io.synclog.demo;

import static io.synclog.plan.Columns.ADDED;
import static io.synclog.plan.Columns.CHANGED;
import static io.synclog.plan.Columns.FAILED;
import static io.synclog.plan.Columns.FAILED_REASON;
import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.REJECTED_REASON;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.STATUS;
import static io.synclog.plan.Columns.SUCCEEDED;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import io.synclog.log.SyncRun;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A stand-in for the sync engine and its destination (a CRM): it reads the plan synclog stored for
 * the run, "sends" each planned row and reports a status per row, the way an engine would.
 *
 * <p>Adds and changes are rejected when the email is malformed or the last name is missing; a
 * changed record is locked by someone else about {@value #LOCKED_PER_MILLE}‰ of the time, drawn
 * again each run, so a retry usually succeeds. Removals always succeed. When the run is cut short,
 * only the rows the engine reached get a status; synclog logs the rest as aborted.
 */
final class SimulatedDestination {
  static final String INVALID_EMAIL = "INVALID_EMAIL: email address is not valid";
  static final String ENTITY_IS_LOCKED =
      "ENTITY_IS_LOCKED: unable to obtain exclusive access to this record";
  static final String MISSING_LAST_NAME =
      "REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]";
  static final int LOCKED_PER_MILLE = 20;

  /** What the destination accepts as an email address. */
  static final String EMAIL_PATTERN =
      "^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$";

  private final SparkSession spark;

  SimulatedDestination(SparkSession spark) {
    this.spark = spark;
  }

  /** The rows synclog planned for the run and did not reject itself: what the engine sends. */
  Dataset<Row> plannedRows(String plansPath, SyncRun run) {
    return spark
        .read()
        .format("delta")
        .load(plansPath)
        .where(
            col(SYNC_ID)
                .equalTo(run.syncId())
                .and(col(SYNC_RUN_ID).equalTo(run.runId()))
                .and(col(REJECTED_REASON).isNull()))
        .select(ROW_ID, OP_TYPE, FIELDS);
  }

  /**
   * The status of every row the engine attempted.
   *
   * @param runId the run, so that locks are drawn afresh each run
   * @param attemptedPercent how far through the run the engine got before it stopped: 100 for a
   *     complete run
   */
  static Dataset<Row> send(Dataset<Row> planned, String runId, int attemptedPercent) {
    Column email = get_json_object(col(FIELDS), "$.email");
    Column lastName = get_json_object(col(FIELDS), "$.last_name");
    Column upsert = col(OP_TYPE).isin(ADDED, CHANGED);
    Column locked =
        col(OP_TYPE)
            .equalTo(CHANGED)
            .and(expr(draw("'" + runId + "', 'lock'") + " % 1000 < " + LOCKED_PER_MILLE));
    Column reason =
        when(upsert.and(email.isNull().or(not(email.rlike(EMAIL_PATTERN)))), lit(INVALID_EMAIL))
            .when(upsert.and(lastName.isNull()), lit(MISSING_LAST_NAME))
            .when(locked, lit(ENTITY_IS_LOCKED));
    return planned
        .where(expr(draw("'queue'") + " % 100 < " + attemptedPercent))
        .select(
            col(ROW_ID),
            when(reason.isNull(), lit(SUCCEEDED)).otherwise(lit(FAILED)).as(STATUS),
            reason.as(FAILED_REASON));
  }

  /** A non-negative hash of the demo's seed, the row and the salts. */
  private static String draw(String salts) {
    return "pmod(xxhash64("
        + CustomerModel.SEED
        + "L, row_id, "
        + salts
        + "), 9223372036854775807)";
  }
}
