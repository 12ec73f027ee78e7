package io.synclog.log;

import static io.synclog.plan.Columns.FAILED_REASON;
import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.FIELDS_HASH;
import static io.synclog.plan.Columns.IN_DESTINATION;
import static io.synclog.plan.Columns.LAST_SYNC_RUN_ID;
import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.REJECTED_REASON;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.RUN_DATE;
import static io.synclog.plan.Columns.SPLIT_GROUP;
import static io.synclog.plan.Columns.STATUS;
import static io.synclog.plan.Columns.SYNC_ID;
import static io.synclog.plan.Columns.SYNC_RUN_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.synclog.plan.Columns;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The three tables' schemas, in the reference's column order (extras last), and the functions that
 * shape a run's rows into them. {@code split_group} is written only by syncs that use splits, so
 * the column exists only once some sync does.
 */
public final class LogTables {
  private LogTables() {}

  public static final String CHANGELOG = "sync_changelog";
  public static final String SNAPSHOT = "sync_snapshot";
  public static final String RUNS = "sync_runs";
  public static final String PLANS = "sync_plans";

  private static StructField string(String name) {
    return DataTypes.createStructField(name, DataTypes.StringType, true);
  }

  private static StructField bigint(String name) {
    return DataTypes.createStructField(name, DataTypes.LongType, true);
  }

  private static StructField timestamp(String name) {
    return DataTypes.createStructField(name, DataTypes.TimestampType, true);
  }

  public static StructType changelogSchema(boolean splits) {
    List<StructField> f = new ArrayList<>();
    for (String c : List.of(SYNC_ID, SYNC_RUN_ID, OP_TYPE, ROW_ID, STATUS, FAILED_REASON, FIELDS)) {
      f.add(string(c));
    }
    if (splits) {
      f.add(string(SPLIT_GROUP));
    }
    f.add(bigint(FIELDS_HASH));
    f.add(DataTypes.createStructField(RUN_DATE, DataTypes.DateType, false));
    return DataTypes.createStructType(f);
  }

  public static StructType snapshotSchema(boolean splits) {
    List<StructField> f = new ArrayList<>();
    for (String c : List.of(SYNC_ID, OP_TYPE, ROW_ID, STATUS, FAILED_REASON, FIELDS)) {
      f.add(string(c));
    }
    if (splits) {
      f.add(string(SPLIT_GROUP));
    }
    f.add(bigint(FIELDS_HASH));
    f.add(DataTypes.createStructField(IN_DESTINATION, DataTypes.BooleanType, true));
    f.add(string(LAST_SYNC_RUN_ID));
    return DataTypes.createStructType(f);
  }

  public static final List<String> COUNT_COLUMNS = countColumns();

  private static List<String> countColumns() {
    List<String> out = new ArrayList<>();
    for (String kind : List.of("planned", "attempted", "succeeded", "failed")) {
      for (String op : List.of("add", "change", "remove")) {
        out.add("num_" + kind + "_" + op);
      }
    }
    return List.copyOf(out);
  }

  public static StructType runsSchema() {
    List<StructField> f = new ArrayList<>();
    for (String c :
        List.of(
            SYNC_ID,
            SYNC_RUN_ID,
            "primary_key",
            "destination",
            "model_name",
            "model_id",
            STATUS,
            "error")) {
      f.add(string(c));
    }
    f.add(timestamp("started_at"));
    f.add(timestamp("finished_at"));
    COUNT_COLUMNS.forEach(c -> f.add(bigint(c)));
    f.add(bigint("num_rejected_rows"));
    f.add(bigint("num_tolerated_status_problems"));
    f.add(string("model_schema"));
    f.add(timestamp("recorded_at"));
    return DataTypes.createStructType(f);
  }

  public static StructType planSchema() {
    List<StructField> f = new ArrayList<>();
    for (String c : List.of(SYNC_ID, SYNC_RUN_ID, ROW_ID, OP_TYPE, FIELDS)) {
      f.add(string(c));
    }
    f.add(bigint(FIELDS_HASH));
    f.add(string(SPLIT_GROUP));
    f.add(string(REJECTED_REASON));
    return DataTypes.createStructType(f);
  }

  /** Shapes the merged changelog rows into the table's columns. */
  public static Dataset<Row> changelogRows(
      Dataset<Row> rows, SyncRun run, LocalDate runDate, boolean splits) {
    return select(
        rows.withColumn(SYNC_ID, lit(run.syncId()))
            .withColumn(SYNC_RUN_ID, lit(run.runId()))
            .withColumn(RUN_DATE, lit(Date.valueOf(runDate))),
        changelogSchema(splits));
  }

  /** Shapes the next snapshot rows into the table's columns. */
  public static Dataset<Row> snapshotRows(Dataset<Row> rows, String syncId, boolean splits) {
    return select(rows.withColumn(SYNC_ID, lit(syncId)), snapshotSchema(splits));
  }

  /**
   * A run's changes to the sync's snapshot ({@link io.synclog.log.SnapshotChange#SNAPSHOT_CHANGE}),
   * shaped like the snapshot table plus that column.
   */
  public static Dataset<Row> snapshotChangeRows(
      Dataset<Row> changes, String syncId, boolean splits) {
    StructType schema =
        snapshotSchema(splits)
            .add(io.synclog.log.SnapshotChange.SNAPSHOT_CHANGE, DataTypes.StringType, false);
    return select(changes.withColumn(SYNC_ID, lit(syncId)), schema);
  }

  public static Dataset<Row> planRows(Dataset<Row> plan, SyncRun run) {
    return select(
        plan.withColumn(SYNC_ID, lit(run.syncId())).withColumn(SYNC_RUN_ID, lit(run.runId())),
        planSchema());
  }

  private static Dataset<Row> select(Dataset<Row> rows, StructType schema) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      cols.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return rows.select(cols.toArray(new Column[0]));
  }

  /** The runs table row of a recorded run. */
  public static Row runRow(RunRecord r) {
    List<Object> values = new ArrayList<>();
    values.add(r.syncId());
    values.add(r.syncRunId());
    values.add(r.primaryKey());
    values.add(r.destination());
    values.add(r.modelName());
    values.add(r.modelId());
    values.add(r.status());
    values.add(r.error());
    values.add(Timestamp.from(r.startedAt()));
    values.add(Timestamp.from(r.finishedAt()));
    for (String kind : List.of("planned", "attempted", "succeeded", "failed")) {
      for (String op : RunCounts.OPS) {
        RunCounts.Counts c = r.counts().of(op);
        values.add(
            switch (kind) {
              case "planned" -> c.planned();
              case "attempted" -> c.attempted();
              case "succeeded" -> c.succeeded();
              default -> c.failed();
            });
      }
    }
    values.add(r.rejectedRows());
    values.add(r.toleratedStatusProblems());
    values.add(r.modelSchema());
    values.add(Timestamp.from(r.recordedAt()));
    return RowFactory.create(values.toArray());
  }

  /** Name of the count column for a kind (planned, attempted, ...) and an op_type. */
  public static String countColumn(String kind, String opType) {
    String op =
        switch (opType) {
          case Columns.ADDED -> "add";
          case Columns.CHANGED -> "change";
          default -> "remove";
        };
    return "num_" + kind + "_" + op;
  }

  /** Reads a runs table row back (the inverse of {@link #runRow}). */
  public static RunRecord runRecord(Row row) {
    java.util.Map<String, RunCounts.Counts> byOp = new java.util.LinkedHashMap<>();
    for (String op : RunCounts.OPS) {
      long succeeded = row.getLong(row.fieldIndex(countColumn("succeeded", op)));
      long failed = row.getLong(row.fieldIndex(countColumn("failed", op)));
      long planned = row.getLong(row.fieldIndex(countColumn("planned", op)));
      byOp.put(op, new RunCounts.Counts(succeeded, failed, planned - succeeded - failed));
    }
    return new RunRecord(
        row.getAs(SYNC_ID),
        row.getAs(SYNC_RUN_ID),
        row.getAs("primary_key"),
        row.getAs("destination"),
        row.getAs("model_name"),
        row.getAs("model_id"),
        row.getAs(STATUS),
        row.getAs("error"),
        row.<Timestamp>getAs("started_at").toInstant(),
        row.<Timestamp>getAs("finished_at").toInstant(),
        new RunCounts(java.util.Map.copyOf(byOp)),
        row.getLong(row.fieldIndex("num_rejected_rows")),
        row.getLong(row.fieldIndex("num_tolerated_status_problems")),
        row.getAs("model_schema"),
        row.<Timestamp>getAs("recorded_at").toInstant());
  }
}
