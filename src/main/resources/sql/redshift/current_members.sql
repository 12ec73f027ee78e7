-- The current rows of every model: each row whose latest status is not 'failed', one line per
-- (row, model). A row waiting for its removal (op_type 'removed') has left the model.
-- row_number() in a subquery keeps one line per (row, model) when several syncs share a model.
SELECT
  m.model_name,
  m.user_id
FROM (
  SELECT
    r.model_name,
    s.row_id AS user_id,
    ROW_NUMBER() OVER (PARTITION BY s.row_id, r.model_name ORDER BY s.sync_id) AS n
  FROM sync_audit.sync_snapshot s
  JOIN (SELECT DISTINCT x.sync_id, x.model_name FROM sync_audit.sync_runs x) r
    ON s.sync_id = r.sync_id
  WHERE s.status <> 'failed' AND s.op_type <> 'removed'
) m
WHERE m.n = 1
ORDER BY m.user_id, m.model_name
