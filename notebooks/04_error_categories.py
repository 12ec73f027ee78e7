# Databricks notebook source
# MAGIC %md
# MAGIC # Error categories by regular expression
# MAGIC
# MAGIC Each raw `failed_reason` is put in a category by the first matching rule of a small rules table. Edit the rules in the next cell (priority, Java regular expression, category); reasons no rule matches show up as `uncategorized`, so new kinds of errors stand out.
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
# MAGIC The rules: a temporary view, `error_rules`.

# COMMAND ----------

# MAGIC %sql
# MAGIC CREATE OR REPLACE TEMPORARY VIEW error_rules AS
# MAGIC -- Rules that put a raw failed_reason in a category: the rule with the lowest priority whose
# MAGIC -- regular expression (Java syntax, as RLIKE uses) finds a match wins. Add your destinations'
# MAGIC -- messages here; a reason no rule matches is 'uncategorized', so unexpected errors stand out.
# MAGIC SELECT
# MAGIC   rules.priority,
# MAGIC   rules.pattern,
# MAGIC   rules.category
# MAGIC FROM VALUES
# MAGIC   (10, '(?i)invalid.?email|email address is not valid', 'invalid email'),
# MAGIC   (20, '(?i)entity_is_locked|exclusive access|record is locked', 'record locked'),
# MAGIC   (30, '(?i)rate.?limit|too many requests', 'rate limited'),
# MAGIC   (40, '(?i)(null|duplicate) primary key', 'bad primary key'),
# MAGIC   (50, '(?i)timed? ?out', 'timeout'),
# MAGIC   (60, '(?i)unauthori[sz]ed|forbidden|permission|access denied', 'permission'),
# MAGIC   (70, '(?i)required field|missing required|cannot be (null|empty|blank)', 'missing field'),
# MAGIC   (80, '(?i)unknown status', 'unknown status')
# MAGIC   AS rules(priority, pattern, category)

# COMMAND ----------

# MAGIC %md
# MAGIC Failed operations per category and sync.

# COMMAND ----------

# MAGIC %sql
# MAGIC -- Every failed operation in the changelog, per sync, in the category of the first rule of
# MAGIC -- error_rules whose pattern matches its failed_reason. Each distinct reason is matched once.
# MAGIC SELECT
# MAGIC   c.sync_id,
# MAGIC   coalesce(k.category, 'uncategorized') AS category,
# MAGIC   count(*) AS failures,
# MAGIC   count(DISTINCT c.row_id) AS failed_rows,
# MAGIC   min(c.failed_reason) AS example_reason
# MAGIC FROM sync_changelog c
# MAGIC LEFT JOIN (
# MAGIC   SELECT
# MAGIC     x.failed_reason,
# MAGIC     min_by(e.category, e.priority) AS category
# MAGIC   FROM (SELECT DISTINCT y.failed_reason FROM sync_changelog y WHERE y.status = 'failed') x
# MAGIC   JOIN error_rules e ON x.failed_reason RLIKE e.pattern
# MAGIC   GROUP BY x.failed_reason
# MAGIC ) k ON c.failed_reason = k.failed_reason
# MAGIC WHERE c.status = 'failed'
# MAGIC GROUP BY c.sync_id, coalesce(k.category, 'uncategorized')
# MAGIC ORDER BY failures DESC, c.sync_id, category
