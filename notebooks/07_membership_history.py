# Databricks notebook source
# MAGIC %md
# MAGIC # Audience membership history
# MAGIC
# MAGIC Per run: rows entering and exiting each audience, rows the destination received or lost, and the members it holds after the run.
# MAGIC
# MAGIC Where the tables are: this notebook reads `sync_changelog`, `sync_snapshot` and `sync_runs`
# MAGIC from the schema chosen in the next cell, `sync_audit` (synclog's default `target.schema`). On
# MAGIC Databricks, `USE sync_audit` picks that schema in the current catalog (run `USE CATALOG <name>`
# MAGIC first if it is elsewhere, or edit the name to your `target.schema`). Where the tables exist only as
# MAGIC Delta folders, register them once, for example
# MAGIC `CREATE TABLE sync_audit.sync_changelog USING delta LOCATION '<target.location>/sync_audit/sync_changelog'`
# MAGIC (the same for `sync_snapshot` and `sync_runs`); `synclog views` makes ready-made `v_*` views instead.
# MAGIC
# MAGIC The queries are kept in the synclog sources under `src/main/resources/sql/spark/`, which also
# MAGIC define the `sync_audit.v_*` views; a test checks that this notebook's cells match them.

# COMMAND ----------

# MAGIC %sql
# MAGIC USE sync_audit

# COMMAND ----------

# MAGIC %sql
# MAGIC -- Audience membership per run: rows that entered and exited the model (a retried add or removal
# MAGIC -- counts once), rows the destination received or lost, and the members held in the destination
# MAGIC -- after each run: a running total of successful adds minus successful removals.
# MAGIC SELECT
# MAGIC   p.sync_id,
# MAGIC   p.model_name,
# MAGIC   p.sync_run_id,
# MAGIC   p.started_at,
# MAGIC   p.entered,
# MAGIC   p.exited,
# MAGIC   p.added_to_destination,
# MAGIC   p.removed_from_destination,
# MAGIC   sum(p.added_to_destination - p.removed_from_destination) OVER (
# MAGIC     PARTITION BY p.sync_id ORDER BY p.started_at, p.sync_run_id
# MAGIC     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
# MAGIC   ) AS members_after_run
# MAGIC FROM (
# MAGIC   SELECT
# MAGIC     r.sync_id,
# MAGIC     r.model_name,
# MAGIC     r.sync_run_id,
# MAGIC     r.started_at,
# MAGIC     coalesce(m.entered, 0) AS entered,
# MAGIC     coalesce(m.exited, 0) AS exited,
# MAGIC     coalesce(m.added_to_destination, 0) AS added_to_destination,
# MAGIC     coalesce(m.removed_from_destination, 0) AS removed_from_destination
# MAGIC   FROM sync_runs r
# MAGIC   LEFT JOIN (
# MAGIC     SELECT
# MAGIC       e.sync_id,
# MAGIC       e.sync_run_id,
# MAGIC       count_if(e.op_type = 'added' AND (e.prev_op IS NULL OR e.prev_op <> 'added')) AS entered,
# MAGIC       count_if(e.op_type = 'removed' AND (e.prev_op IS NULL OR e.prev_op <> 'removed')) AS exited,
# MAGIC       count_if(e.op_type = 'added' AND e.status = 'succeeded') AS added_to_destination,
# MAGIC       count_if(e.op_type = 'removed' AND e.status = 'succeeded') AS removed_from_destination
# MAGIC     FROM (
# MAGIC       SELECT
# MAGIC         c.sync_id,
# MAGIC         c.sync_run_id,
# MAGIC         c.op_type,
# MAGIC         c.status,
# MAGIC         lag(c.op_type) OVER (
# MAGIC           PARTITION BY c.sync_id, c.row_id ORDER BY q.started_at, c.sync_run_id
# MAGIC         ) AS prev_op
# MAGIC       FROM sync_changelog c
# MAGIC       JOIN sync_runs q ON c.sync_id = q.sync_id AND c.sync_run_id = q.sync_run_id
# MAGIC       WHERE c.op_type <> 'changed'
# MAGIC     ) e
# MAGIC     GROUP BY e.sync_id, e.sync_run_id
# MAGIC   ) m ON m.sync_id = r.sync_id AND m.sync_run_id = r.sync_run_id
# MAGIC ) p
# MAGIC ORDER BY p.sync_id, p.started_at, p.sync_run_id
