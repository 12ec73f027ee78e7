-- The rows that failed most often: failed operations per row across runs, with the latest reason.
SELECT
  c.sync_id,
  c.row_id,
  count(*) AS failures,
  count(DISTINCT c.sync_run_id) AS failed_runs,
  max_by(c.failed_reason, r.started_at) AS latest_reason,
  max(r.started_at) AS last_failed_at
FROM sync_changelog c
JOIN sync_runs r ON c.sync_id = r.sync_id AND c.sync_run_id = r.sync_run_id
WHERE c.status = 'failed'
GROUP BY c.sync_id, c.row_id
ORDER BY failures DESC, c.sync_id, c.row_id
