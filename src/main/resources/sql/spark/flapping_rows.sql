-- Rows that change most across runs. A logged operation counts as a change when its op_type or its
-- fields differ from the row's previous logged operation: an add, a removal, a re-add, a change of
-- fields. Retries (the same op_type with the same fields) do not count.
-- Rows that changed more than once are listed, most changes first: flapping rows can be a sign of
-- data integrity issues.
SELECT
  g.sync_id,
  g.row_id,
  g.changes,
  g.distinct_versions,
  g.logged_operations,
  g.first_logged_at,
  g.last_logged_at
FROM (
  SELECT
    h.sync_id,
    h.row_id,
    sum(
      CASE
        WHEN h.prev_op IS NULL OR h.op_type <> h.prev_op OR h.fields_hash <> h.prev_hash THEN 1
        ELSE 0
      END
    ) AS changes,
    count(DISTINCT h.fields_hash) AS distinct_versions,
    count(*) AS logged_operations,
    min(h.started_at) AS first_logged_at,
    max(h.started_at) AS last_logged_at
  FROM (
    SELECT
      c.sync_id,
      c.row_id,
      c.op_type,
      c.fields_hash,
      r.started_at,
      lag(c.op_type) OVER (
        PARTITION BY c.sync_id, c.row_id ORDER BY r.started_at, c.sync_run_id
      ) AS prev_op,
      lag(c.fields_hash) OVER (
        PARTITION BY c.sync_id, c.row_id ORDER BY r.started_at, c.sync_run_id
      ) AS prev_hash
    FROM sync_changelog c
    JOIN sync_runs r ON c.sync_id = r.sync_id AND c.sync_run_id = r.sync_run_id
  ) h
  GROUP BY h.sync_id, h.row_id
) g
WHERE g.changes > 1
ORDER BY g.changes DESC, g.sync_id, g.row_id
