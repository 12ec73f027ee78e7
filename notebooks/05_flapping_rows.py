# Databricks notebook source
# MAGIC %md
# MAGIC # Flapping rows
# MAGIC
# MAGIC Rows that change most across runs. Flapping rows can be a sign of data integrity issues upstream.
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
# MAGIC -- Rows that change most across runs. A logged operation counts as a change when its op_type or its
# MAGIC -- fields differ from the row's previous logged operation: an add, a removal, a re-add, a change of
# MAGIC -- fields. Retries (the same op_type with the same fields) do not count.
# MAGIC -- Rows that changed more than once are listed, most changes first: flapping rows can be a sign of
# MAGIC -- data integrity issues.
# MAGIC SELECT
# MAGIC   g.sync_id,
# MAGIC   g.row_id,
# MAGIC   g.changes,
# MAGIC   g.distinct_versions,
# MAGIC   g.logged_operations,
# MAGIC   g.first_logged_at,
# MAGIC   g.last_logged_at
# MAGIC FROM (
# MAGIC   SELECT
# MAGIC     h.sync_id,
# MAGIC     h.row_id,
# MAGIC     sum(
# MAGIC       CASE
# MAGIC         WHEN h.prev_op IS NULL OR h.op_type <> h.prev_op OR h.fields_hash <> h.prev_hash THEN 1
# MAGIC         ELSE 0
# MAGIC       END
# MAGIC     ) AS changes,
# MAGIC     count(DISTINCT h.fields_hash) AS distinct_versions,
# MAGIC     count(*) AS logged_operations,
# MAGIC     min(h.started_at) AS first_logged_at,
# MAGIC     max(h.started_at) AS last_logged_at
# MAGIC   FROM (
# MAGIC     SELECT
# MAGIC       c.sync_id,
# MAGIC       c.row_id,
# MAGIC       c.op_type,
# MAGIC       c.fields_hash,
# MAGIC       r.started_at,
# MAGIC       lag(c.op_type) OVER (
# MAGIC         PARTITION BY c.sync_id, c.row_id ORDER BY r.started_at, c.sync_run_id
# MAGIC       ) AS prev_op,
# MAGIC       lag(c.fields_hash) OVER (
# MAGIC         PARTITION BY c.sync_id, c.row_id ORDER BY r.started_at, c.sync_run_id
# MAGIC       ) AS prev_hash
# MAGIC     FROM sync_changelog c
# MAGIC     JOIN sync_runs r ON c.sync_id = r.sync_id AND c.sync_run_id = r.sync_run_id
# MAGIC   ) h
# MAGIC   GROUP BY h.sync_id, h.row_id
# MAGIC ) g
# MAGIC WHERE g.changes > 1
# MAGIC ORDER BY g.changes DESC, g.sync_id, g.row_id
