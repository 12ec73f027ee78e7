# Databricks notebook source
# MAGIC %md
# MAGIC # Rows entering and exiting the model over time
# MAGIC
# MAGIC When each row entered (was added to) and exited (was removed from) each model: one line per change of state. Plot `timestamp` by `type` for an audience's churn.
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
# MAGIC -- When each row entered (added) and exited (removed) each model: one line per change of state.
# MAGIC -- Each changelog row is joined to its own run (sync_id and sync_run_id) for the run's start time;
# MAGIC -- lag() finds the row's previous add or removal in the same model, so a retried add counts once.
# MAGIC SELECT
# MAGIC   d.row_id AS user_id,
# MAGIC   d.model_name AS audience,
# MAGIC   d.type,
# MAGIC   d.`timestamp`
# MAGIC FROM (
# MAGIC   SELECT
# MAGIC     r.model_name,
# MAGIC     c.row_id,
# MAGIC     c.op_type AS type,
# MAGIC     r.started_at AS `timestamp`,
# MAGIC     lag(c.op_type) OVER (
# MAGIC       PARTITION BY r.model_name, c.row_id ORDER BY r.started_at, r.sync_run_id
# MAGIC     ) AS lag_type
# MAGIC   FROM sync_changelog c
# MAGIC   JOIN sync_runs r ON c.sync_id = r.sync_id AND c.sync_run_id = r.sync_run_id
# MAGIC   WHERE c.op_type <> 'changed'
# MAGIC ) d
# MAGIC WHERE d.lag_type IS NULL OR d.lag_type <> d.type
# MAGIC ORDER BY audience, user_id, d.`timestamp`
