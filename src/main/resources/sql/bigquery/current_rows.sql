-- The current rows of every model: each row whose latest status is not 'failed', one line per
-- (row, model). GoogleSQL has QUALIFY, as the reference's query uses. A row waiting for its
-- removal (op_type 'removed') has left the model, so it is not current.
WITH model_names AS (
  SELECT DISTINCT
    sync_id,
    model_name
  FROM sync_audit.sync_runs
)
SELECT
  r.model_name,
  s.row_id AS user_id
FROM sync_audit.sync_snapshot s
JOIN model_names r ON s.sync_id = r.sync_id
WHERE s.status <> 'failed' AND s.op_type <> 'removed'
QUALIFY ROW_NUMBER() OVER (PARTITION BY s.row_id, r.model_name ORDER BY s.sync_id) = 1
ORDER BY user_id, r.model_name
