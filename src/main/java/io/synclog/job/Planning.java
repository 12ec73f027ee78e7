package io.synclog.job;

import static io.synclog.plan.Columns.FIELDS;
import static io.synclog.plan.Columns.FIELDS_HASH;
import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.REJECTED_REASON;
import static io.synclog.plan.Columns.ROW_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;
import io.synclog.plan.FieldsHash;
import io.synclog.plan.ModelRows;
import io.synclog.plan.Planner;
import io.synclog.sink.LogSink;
import io.synclog.sink.RunLock;
import io.synclog.source.ModelSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps {@code plan} and {@code record} share: read the model, check it, diff it. */
final class Planning {
  private static final Logger LOG = LoggerFactory.getLogger("io.synclog");

  private Planning() {}

  /**
   * Compares the model's columns with those the sync's last run saw: logs what changed and, with
   * model.on-schema-change=fail, stops.
   */
  static void checkSchema(SyncConfig config, LogSink sink, String schemaNow) {
    Optional<String> before = sink.lastModelSchema(config.syncId());
    if (before.isEmpty() || before.get().equals(schemaNow)) {
      return;
    }
    String change = describeChange(before.get(), schemaNow);
    if (config.failOnSchemaChange()) {
      throw Errors.schemaChanged(config.syncRun(), change);
    }
    LOG.warn(
        "sync '{}' run '{}': the model's columns changed since the last run ({}); rows whose"
            + " fields changed are planned as changed (model.on-schema-change=resync)",
        config.syncId(),
        config.runId(),
        change);
  }

  static String describeChange(String beforeDdl, String afterDdl) {
    Map<String, String> before = types(StructType.fromDDL(beforeDdl));
    Map<String, String> after = types(StructType.fromDDL(afterDdl));
    List<String> parts = new ArrayList<>();
    after.forEach(
        (name, type) -> {
          if (!before.containsKey(name)) {
            parts.add("added " + name + " " + type);
          } else if (!before.get(name).equals(type)) {
            parts.add("retyped " + name + " " + before.get(name) + " -> " + type);
          }
        });
    before.keySet().stream()
        .filter(name -> !after.containsKey(name))
        .forEach(name -> parts.add("dropped " + name));
    return String.join(", ", parts);
  }

  private static Map<String, String> types(StructType schema) {
    Map<String, String> out = new LinkedHashMap<>();
    for (StructField f : schema.fields()) {
      out.put(f.name(), f.dataType().catalogString());
    }
    return out;
  }

  /** How many snapshot rows {@link #holdsJsonHashes} looks at. */
  static final int HASH_SAMPLE = 8;

  /**
   * Whether the sync's snapshot still holds hashes of the {@code fields} JSON, the hash snapshots
   * held before {@link FieldsHash}: looks at a few rows only. While it does, the diff compares each
   * row with both hashes (see {@link ModelRows#withJsonHash}) and the run rewrites the snapshot
   * with the new hashes ({@link #rehash}).
   */
  static boolean holdsJsonHashes(Dataset<Row> previous) {
    return previous
        .where(col(FIELDS_HASH).isNotNull().and(col(FIELDS).isNotNull()))
        .select(FIELDS, FIELDS_HASH)
        .limit(HASH_SAMPLE)
        .collectAsList()
        .stream()
        .anyMatch(r -> FieldsHash.isJsonHash(r.getString(0), r.getLong(1)));
  }

  /** The model's rows as the diff reads them; with the former JSON hash too when asked. */
  static Dataset<Row> prepare(SyncConfig config, Dataset<Row> model, boolean jsonHashes) {
    Dataset<Row> rows =
        ModelRows.prepare(
            model,
            config.primaryKey(),
            new ModelRows.Splits(config.splitColumn(), config.splitGroups()));
    return jsonHashes ? ModelRows.withJsonHash(rows) : rows;
  }

  /**
   * The previous snapshot with each row's former JSON hash replaced by its {@link FieldsHash},
   * where the model row's JSON shows the two describe the same fields. Rows it cannot vouch for
   * keep the stored hash: they changed since or left the model (so they are planned anyway), or
   * their key is duplicated (the one row compared again once it is not). Joins the whole snapshot
   * with the model: a one-run cost.
   */
  static Dataset<Row> rehash(Dataset<Row> previous, Dataset<Row> preparedWithJsonHash) {
    Dataset<Row> m =
        preparedWithJsonHash
            .where(col(ROW_ID).isNotNull())
            .select(
                col(ROW_ID).as("rehash_key"),
                col(FIELDS_HASH).as("rehash_new"),
                col(ModelRows.JSON_HASH).as("rehash_json"))
            .dropDuplicates("rehash_key");
    return previous
        .join(m, col(ROW_ID).equalTo(col("rehash_key")), "left")
        .withColumn(
            FIELDS_HASH,
            when(col(FIELDS_HASH).equalTo(col("rehash_json")), col("rehash_new"))
                .otherwise(col(FIELDS_HASH)))
        .drop("rehash_key", "rehash_new", "rehash_json");
  }

  /** How many rows a key plan holds, and how many of them are removals. */
  record Size(long rows, long removed) {
    long planned() {
      return rows - removed;
    }
  }

  /**
   * Sizes a persisted key plan in one cheap aggregation, so that a usual run (few planned rows) can
   * broadcast the plan's keys instead of shuffling the model or the snapshot.
   */
  static Size size(Dataset<Row> persistedPlan) {
    Row r =
        persistedPlan
            .agg(
                count(lit(1)),
                sum(when(col(OP_TYPE).equalTo(io.synclog.plan.Columns.REMOVED), 1).otherwise(0)))
            .head();
    return new Size(r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1));
  }

  /** Completes a persisted key plan: planned rows' fields from the model, removed rows' last. */
  static Dataset<Row> complete(
      Dataset<Row> persistedKeyPlan, Dataset<Row> prepared, Dataset<Row> previous, Size size) {
    return Planner.withRemovedFields(
        Planner.withFields(persistedKeyPlan, prepared, size.planned()), previous, size.removed());
  }

  /**
   * With model.on-key-problem=fail, stops when any model row has a null or duplicated key.
   *
   * @param keyPlan the key plan (one row per key): whether there is any problem at all
   * @param plan the plan with a row per model row, for the counts: asked only when there is one
   */
  static void checkKeys(SyncConfig config, Dataset<Row> keyPlan, Supplier<Dataset<Row>> plan) {
    if (!config.failOnKeyProblem() || keyPlan.where(col(REJECTED_REASON).isNotNull()).isEmpty()) {
      return;
    }
    Dataset<Row> rejected = plan.get().where(col(REJECTED_REASON).isNotNull());
    long nulls = rejected.where(col("row_id").isNull()).count();
    long dups = rejected.where(col("row_id").isNotNull()).count();
    if (nulls + dups > 0) {
      String example =
          rejected.select(REJECTED_REASON).limit(1).collectAsList().get(0).getString(0);
      throw Errors.keyProblems(config.syncRun(), nulls, dups, example);
    }
  }

  static String modelSchema(SyncConfig config, Dataset<Row> model) {
    return ModelSource.schemaOf(model.schema());
  }

  static boolean usePlan(SyncConfig config, RunLock lock) {
    String mode = config.get(io.synclog.config.ConfigKeys.RECORD_USE_PLAN);
    if ("always".equals(mode) && !lock.planned()) {
      throw Errors.noPlan(config.syncRun(), "sync_plans");
    }
    return lock.planned() && !"never".equals(mode);
  }
}
