-- When each row entered (added) and exited (removed) each model: one line per change of state.
-- Each changelog row is joined to its own run for the run's start time; LAG() finds the row's
-- previous add or removal in the same model, so a retried add counts once.
SELECT
  d.row_id AS user_id,
  d.model_name AS audience,
  d.type,
  d."timestamp"
FROM (
  SELECT
    r.model_name,
    c.row_id,
    c.op_type AS type,
    r.started_at AS "timestamp",
    LAG(c.op_type) OVER (
      PARTITION BY r.model_name, c.row_id ORDER BY r.started_at, r.sync_run_id
    ) AS lag_type
  FROM sync_audit.sync_changelog c
  JOIN sync_audit.sync_runs r ON c.sync_id = r.sync_id AND c.sync_run_id = r.sync_run_id
  WHERE c.op_type <> 'changed'
) d
WHERE d.lag_type IS NULL OR d.lag_type <> d.type
ORDER BY audience, user_id, d."timestamp"
