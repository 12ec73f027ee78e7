# Databricks notebook source
# MAGIC %md
# MAGIC # Most common sync errors
# MAGIC
# MAGIC Which errors do the rows whose latest attempt failed have, and which rows fail most often.
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

# MAGIC %md
# MAGIC The most common errors among the rows' latest statuses (`sync_snapshot`).

# COMMAND ----------

# MAGIC %sql
# MAGIC -- The most common sync errors: the rows whose latest attempt failed, grouped by reason.
# MAGIC SELECT
# MAGIC   s.failed_reason,
# MAGIC   count(*) AS c
# MAGIC FROM sync_snapshot s
# MAGIC WHERE s.failed_reason IS NOT NULL
# MAGIC GROUP BY s.failed_reason
# MAGIC ORDER BY c DESC, s.failed_reason

# COMMAND ----------

# MAGIC %md
# MAGIC The rows that failed most often across runs (`sync_changelog`), with their latest reason.

# COMMAND ----------

# MAGIC %sql
# MAGIC -- The rows that failed most often: failed operations per row across runs, with the latest reason.
# MAGIC SELECT
# MAGIC   c.sync_id,
# MAGIC   c.row_id,
# MAGIC   count(*) AS failures,
# MAGIC   count(DISTINCT c.sync_run_id) AS failed_runs,
# MAGIC   max_by(c.failed_reason, r.started_at) AS latest_reason,
# MAGIC   max(r.started_at) AS last_failed_at
# MAGIC FROM sync_changelog c
# MAGIC JOIN sync_runs r ON c.sync_id = r.sync_id AND c.sync_run_id = r.sync_run_id
# MAGIC WHERE c.status = 'failed'
# MAGIC GROUP BY c.sync_id, c.row_id
# MAGIC ORDER BY failures DESC, c.sync_id, c.row_id
