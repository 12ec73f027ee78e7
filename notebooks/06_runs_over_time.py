# Databricks notebook source
# MAGIC %md
# MAGIC # Runs over time
# MAGIC
# MAGIC Planned, attempted, succeeded, failed and aborted rows per run and operation. Chart `planned` and `failed` by `started_at`, one series per `op_type`.
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
# MAGIC -- Each run's planned, attempted, succeeded, failed and aborted rows per operation, in time order.
# MAGIC SELECT
# MAGIC   u.sync_id,
# MAGIC   u.sync_run_id,
# MAGIC   u.model_name,
# MAGIC   u.started_at,
# MAGIC   u.finished_at,
# MAGIC   u.run_status,
# MAGIC   u.op_type,
# MAGIC   u.planned,
# MAGIC   u.attempted,
# MAGIC   u.succeeded,
# MAGIC   u.failed,
# MAGIC   u.planned - u.attempted AS aborted
# MAGIC FROM (
# MAGIC   SELECT
# MAGIC     r.sync_id,
# MAGIC     r.sync_run_id,
# MAGIC     r.model_name,
# MAGIC     r.started_at,
# MAGIC     r.finished_at,
# MAGIC     r.status AS run_status,
# MAGIC     stack(
# MAGIC       3,
# MAGIC       'added', r.num_planned_add, r.num_attempted_add, r.num_succeeded_add, r.num_failed_add,
# MAGIC       'changed', r.num_planned_change, r.num_attempted_change, r.num_succeeded_change,
# MAGIC       r.num_failed_change,
# MAGIC       'removed', r.num_planned_remove, r.num_attempted_remove, r.num_succeeded_remove,
# MAGIC       r.num_failed_remove
# MAGIC     ) AS (op_type, planned, attempted, succeeded, failed)
# MAGIC   FROM sync_runs r
# MAGIC ) u
# MAGIC ORDER BY u.sync_id, u.started_at, u.sync_run_id, u.op_type
