# Databricks notebook source
# MAGIC %md
# MAGIC # Current rows across models
# MAGIC
# MAGIC Every model's current rows (members of each audience): the rows whose latest status did not fail.
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
# MAGIC -- The current rows of every model: each row whose latest status is not 'failed', one line per
# MAGIC -- (row, model). row_number() in a subquery stands in for QUALIFY. A row waiting for its removal
# MAGIC -- (op_type 'removed') has left the model, so it is not current.
# MAGIC SELECT
# MAGIC   m.model_name,
# MAGIC   m.user_id
# MAGIC FROM (
# MAGIC   SELECT
# MAGIC     r.model_name,
# MAGIC     s.row_id AS user_id,
# MAGIC     row_number() OVER (PARTITION BY s.row_id, r.model_name ORDER BY s.sync_id) AS n
# MAGIC   FROM sync_snapshot s
# MAGIC   JOIN (SELECT DISTINCT x.sync_id, x.model_name FROM sync_runs x) r ON s.sync_id = r.sync_id
# MAGIC   WHERE s.status <> 'failed' AND s.op_type <> 'removed'
# MAGIC ) m
# MAGIC WHERE m.n = 1
# MAGIC ORDER BY m.user_id, m.model_name
