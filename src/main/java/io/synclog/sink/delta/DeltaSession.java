package io.synclog.sink.delta;

import io.synclog.error.Errors;
import io.synclog.error.SyncLogException;
import io.synclog.sink.RunLock;
import io.synclog.sink.delta.log.TransactionLog;
import java.util.ConcurrentModificationException;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session as the parts of the Delta sink use it, and the tables it reaches: statements
 * whose write conflicts surface as conflicts, reads and writes of a table, its latest version, and
 * its transaction log where synclog may use that directly. One per sink, shared by its parts.
 */
final class DeltaSession {
  private final SparkSession spark;
  private final DeltaTables tables;
  private final Optional<TransactionLog> log;

  DeltaSession(SparkSession spark, DeltaTables tables, Optional<TransactionLog> log) {
    this.spark = spark;
    this.tables = tables;
    this.log = log;
  }

  SparkSession spark() {
    return spark;
  }

  DeltaTables tables() {
    return tables;
  }

  String display(String logical) {
    return tables.display(logical);
  }

  String sqlName(String logical) {
    return tables.sqlName(logical);
  }

  Dataset<Row> read(String logical) {
    return tables.read(logical);
  }

  /**
   * Runs one statement. A write conflict is rethrown as Delta's own {@link
   * ConcurrentModificationException}, however the session wrapped it, so {@link Retry} sees it.
   */
  Dataset<Row> sql(String statement) {
    try {
      return spark.sql(statement);
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConcurrentModificationException conflict) {
          throw conflict;
        }
      }
      throw e;
    }
  }

  /**
   * The table's latest version: by path from the Delta log itself, whose state the run reads next
   * anyway; by name from its history.
   */
  long version(String logical) {
    Optional<String> path = byLog(logical);
    if (path.isPresent()) {
      return log().version(path.get());
    }
    return sql(DeltaStatements.latestVersion(sqlName(logical))).select("version").head().getLong(0);
  }

  /**
   * The table's folder when synclog may use its Delta log directly: a table by path, on a Spark
   * with open-source Delta Lake ({@link TransactionLog#open}).
   */
  Optional<String> byLog(String logical) {
    return log.isPresent() ? tables.location(logical) : Optional.empty();
  }

  /** The transaction log, there whenever {@link #byLog} gives a folder. */
  TransactionLog log() {
    return log.orElseThrow();
  }

  /** Runs one idempotent write step of a run, again after a conflict; a failure names the table. */
  void write(String logical, RunLock lock, Runnable step) {
    try {
      Retry.onConflict("write " + display(logical), step);
    } catch (SyncLogException e) {
      throw e;
    } catch (Exception e) {
      throw Errors.writeFailed(lock.run(), display(logical), e);
    }
  }

  /** Replaces the table's rows matching {@code where} with {@code rows}, in one commit. */
  void replace(Dataset<Row> rows, String logical, String where) {
    tables.write(
        rows.write()
            .format("delta")
            .mode("overwrite")
            .option("replaceWhere", where)
            .option("mergeSchema", "true"),
        logical);
  }
}
