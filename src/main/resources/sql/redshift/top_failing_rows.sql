-- The rows that failed most often: failed operations per row across runs, with the latest reason.
SELECT
  f.sync_id,
  f.row_id,
  f.failures,
  f.failed_runs,
  f.latest_reason,
  f.last_failed_at
FROM (
  SELECT
    c.sync_id,
    c.row_id,
    COUNT(*) OVER (PARTITION BY c.sync_id, c.row_id) AS failures,
    r.started_at AS last_failed_at,
    c.failed_reason AS latest_reason,
    ROW_NUMBER() OVER (
      PARTITION BY c.sync_id, c.row_id ORDER BY r.started_at DESC, c.sync_run_id DESC
    ) AS n,
    DENSE_RANK() OVER (PARTITION BY c.sync_id, c.row_id ORDER BY c.sync_run_id)
      + DENSE_RANK() OVER (PARTITION BY c.sync_id, c.row_id ORDER BY c.sync_run_id DESC)
      - 1 AS failed_runs
  FROM sync_audit.sync_changelog c
  JOIN sync_audit.sync_runs r ON c.sync_id = r.sync_id AND c.sync_run_id = r.sync_run_id
  WHERE c.status = 'failed'
) f
WHERE f.n = 1
ORDER BY f.failures DESC, f.sync_id, f.row_id
