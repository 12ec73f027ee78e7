package io.synclog.job;

import io.synclog.config.SyncConfig;
import io.synclog.plan.Columns;
import io.synclog.plan.Planner;
import io.synclog.sink.LogSink;
import io.synclog.sink.RunLock;
import io.synclog.source.ModelSource;
import io.synclog.sql.Pinned;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The plan a run records: the plan stored by {@code plan} for this run, or a fresh diff of the
 * model against the sync's snapshot. Everything that depends on which of the two it is lives here,
 * so the recording itself does not branch on it. Holds cached datasets: close it.
 */
final class RunPlan implements AutoCloseable {
  private final boolean stored;
  private final String modelSchema;
  private final boolean jsonHashes;
  private final Dataset<Row> prepared;
  private final Dataset<Row> previous;
  private final Dataset<Row> keyPlan;
  private final Dataset<Row> keys;
  private final Dataset<Row> unplanned;
  private Dataset<Row> complete;
  private Planning.Size size;

  private RunPlan(
      boolean stored,
      String modelSchema,
      boolean jsonHashes,
      Dataset<Row> prepared,
      Dataset<Row> previous,
      Dataset<Row> keyPlan) {
    this.stored = stored;
    this.modelSchema = modelSchema;
    this.jsonHashes = jsonHashes;
    this.prepared = prepared;
    this.previous = previous;
    this.keyPlan = keyPlan;
    this.keys = stored ? keyPlan : Planner.planned(keyPlan);
    this.unplanned = stored ? null : Planner.unplanned(keyPlan);
  }

  /**
   * Takes the run's stored plan when the run uses one, else diffs the model (schema checked). The
   * diff is computed and sized here, in the stage {@code diff}: pinning it runs its shuffles.
   */
  static RunPlan obtain(
      SyncConfig config, LogSink sink, RunLock lock, Dataset<Row> model, StageClock clock) {
    Dataset<Row> previous = sink.previousSnapshot(lock);
    boolean stored = Planning.usePlan(config, lock);
    String modelSchema =
        stored && lock.modelSchema() != null
            ? lock.modelSchema()
            : ModelSource.schemaOf(model.schema());
    boolean jsonHashes = clock.time("check hashes", () -> Planning.holdsJsonHashes(previous));
    Dataset<Row> prepared = Planning.prepare(config, model, jsonHashes);
    Dataset<Row> keyPlan;
    if (stored) {
      keyPlan = sink.storedPlan(lock).orElseThrow().select(Columns.cols(Planner.PLAN_COLUMNS));
    } else {
      clock.time("check schema", () -> Planning.checkSchema(config, sink, modelSchema));
      keyPlan = Planner.keyPlan(prepared, previous, config.primaryKey());
    }
    Dataset<Row> plan = keyPlan;
    return clock.time(
        "diff",
        () -> {
          RunPlan runPlan =
              new RunPlan(stored, modelSchema, jsonHashes, prepared, previous, Pinned.pin(plan));
          try {
            runPlan.size = Planning.size(runPlan.keys);
            return runPlan;
          } catch (RuntimeException e) {
            runPlan.close();
            throw e;
          }
        });
  }

  /** How many rows the run plans, and whether they are few enough to broadcast. */
  Planning.Size size() {
    return size;
  }

  /** The model's schema the plan was made from. */
  String modelSchema() {
    return modelSchema;
  }

  /** Whether the snapshot still holds hashes of the older JSON form (see Planning.rehash). */
  boolean jsonHashes() {
    return jsonHashes;
  }

  /** The planned rows' keys: what the statuses must answer. */
  Dataset<Row> keys() {
    return keys;
  }

  /** The snapshot rows the diff left unplanned, or null for a stored plan. */
  Dataset<Row> unplanned() {
    return unplanned;
  }

  /** The planned rows with their fields (not cached). */
  Dataset<Row> complete(Planning.Size size) {
    return stored ? keys : Planning.complete(keys, prepared, previous, size);
  }

  /** The planned rows with their fields, cached until close. */
  Dataset<Row> completeCached(Planning.Size size) {
    if (complete == null) {
      complete = stored ? keys : Pinned.pin(complete(size));
    }
    return complete;
  }

  /** The snapshot to merge into; until it holds the new hashes, the run writes it with them. */
  Dataset<Row> base() {
    return jsonHashes ? Planning.rehash(previous, prepared) : previous;
  }

  @Override
  public void close() {
    Pinned.release(keyPlan);
    if (complete != keyPlan) {
      Pinned.release(complete);
    }
  }
}
