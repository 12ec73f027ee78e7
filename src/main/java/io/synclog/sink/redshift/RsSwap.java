package io.synclog.sink.redshift;

import io.synclog.sink.RunLock;
import io.synclog.sink.warehouse.WarehouseNames;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The SQL a staged write runs inside the connector's one transaction, as its {@code postactions}:
 * after the load, check the lock, then swap the staged rows in.
 *
 * <p>No value from a run reaches this text: sync and run ids, error texts and JSON are all rows of
 * the staging table, and every statement takes them from there by joining on its {@code kind =
 * 'run'} row. The only literals are the fixed kind and phase words below. The text is therefore
 * safe from the connector's handling of actions, which splits them on {@code ;} and, when one
 * contains {@code %s}, formats it with {@link String#format}: {@link #join} proves that no
 * statement holds either character, so each statement reaches Redshift exactly as built.
 */
final class RsSwap {
  private RsSwap() {}

  /** Values of the staging table's {@code kind} column. */
  static final String RUN = "run";

  static final String CHANGELOG = "changelog";
  static final String SNAPSHOT = "snapshot";
  static final String PLAN = "plan";

  /**
   * First after the load: pin the run's lock row (an UPDATE that changes nothing, so a concurrent
   * unlock conflicts with this transaction instead of slipping past it), then fail unless the run
   * holds the lock: the CASE yields text that is not a number, and the cast aborts the transaction.
   */
  static List<String> lockCheck(WarehouseNames n, String staging) {
    String locks = n.qualified(RsNames.LOCKS);
    String bare = RsNames.quote(n.table(RsNames.LOCKS));
    return List.of(
        "UPDATE "
            + locks
            + " SET \"phase\" = \"phase\" FROM "
            + staging
            + " s WHERE "
            + isRun()
            + " AND "
            + sameRun(bare),
        "SELECT CAST(CASE WHEN (SELECT COUNT(*) FROM "
            + locks
            + " l JOIN "
            + staging
            + " s ON l.\"sync_id\" = s.\"sync_id\" AND l.\"sync_run_id\" = s.\"sync_run_id\""
            + " WHERE "
            + isRun()
            + ") = 1 THEN '1' ELSE 'synclog: the run no longer holds the lock' END AS INTEGER)");
  }

  /**
   * After the load and the lock check: replace the run's changelog rows (when the changelog is
   * kept), the sync's snapshot and the run's runs row with the staged ones.
   *
   * @param changelog the changelog's columns, or null when the changelog is disabled
   * @param snapshot the snapshot's columns
   * @param runs the runs table's columns
   */
  static List<String> commit(
      WarehouseNames n,
      String staging,
      List<String> changelog,
      List<String> snapshot,
      List<String> runs) {
    List<String> s = new ArrayList<>(lockCheck(n, staging));
    if (changelog != null) {
      s.add(deleteFor(n, "changelog", staging, true));
      s.add(insert(n, "changelog", staging, CHANGELOG, changelog));
    }
    s.add(deleteFor(n, "snapshot", staging, false));
    s.add(insert(n, "snapshot", staging, SNAPSHOT, snapshot));
    s.add(deleteFor(n, "runs", staging, true));
    s.add(insert(n, "runs", staging, RUN, runs));
    return s;
  }

  /**
   * After the load of a plan and the lock check: replace the sync's stored plan and mark the lock
   * planned.
   */
  static List<String> plan(WarehouseNames n, String staging, List<String> planColumns) {
    String bare = RsNames.quote(n.table(RsNames.LOCKS));
    List<String> s = new ArrayList<>(lockCheck(n, staging));
    s.add(deleteFor(n, RsNames.PLANS, staging, false));
    s.add(insert(n, RsNames.PLANS, staging, PLAN, planColumns));
    s.add(
        "UPDATE "
            + n.qualified(RsNames.LOCKS)
            + " SET \"phase\" = '"
            + RunLock.PLANNED
            + "', \"model_schema\" = s.\"model_schema\" FROM "
            + staging
            + " s WHERE "
            + isRun()
            + " AND "
            + sameRun(bare));
    return s;
  }

  /**
   * The actions as one option value, separated by {@code ;}.
   *
   * @throws IllegalStateException if a statement holds {@code ;} or {@code %}, which the connector
   *     would split or format
   */
  static String join(List<String> actions) {
    for (String a : actions) {
      if (a.indexOf(';') >= 0 || a.indexOf('%') >= 0 || a.isBlank()) {
        throw new IllegalStateException("unsafe connector action: " + a);
      }
    }
    return String.join(";", actions);
  }

  private static String isRun() {
    return "s.\"kind\" = '" + RUN + "'";
  }

  private static String sameRun(String bareTarget) {
    return bareTarget
        + ".\"sync_id\" = s.\"sync_id\" AND "
        + bareTarget
        + ".\"sync_run_id\" = s.\"sync_run_id\"";
  }

  /** DELETE the target's rows of the staged run (byRun) or of its whole sync. */
  private static String deleteFor(WarehouseNames n, String logical, String staging, boolean byRun) {
    String bare = RsNames.quote(n.table(logical));
    String match = byRun ? sameRun(bare) : bare + ".\"sync_id\" = s.\"sync_id\"";
    return "DELETE FROM "
        + n.qualified(logical)
        + " USING "
        + staging
        + " s WHERE "
        + isRun()
        + " AND "
        + match;
  }

  /**
   * INSERT the staged rows of one kind, parsing fields into SUPER where the table keeps it (and the
   * snapshot its text too): the shared INSERT ... SELECT, restricted to the kind.
   */
  private static String insert(
      WarehouseNames n, String logical, String staging, String kind, List<String> columns) {
    StructType rows = new StructType();
    for (String c : columns) {
      rows = rows.add(c, DataTypes.StringType);
    }
    return new RsSql(n).insertSelect(logical, staging, rows) + " WHERE \"kind\" = '" + kind + "'";
  }
}
