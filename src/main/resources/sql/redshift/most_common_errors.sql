-- The most common sync errors: the rows whose latest attempt failed, grouped by reason.
-- Replace sync_audit with your target.schema.
SELECT
  s.failed_reason,
  COUNT(*) AS c
FROM sync_audit.sync_snapshot s
WHERE s.failed_reason IS NOT NULL
GROUP BY s.failed_reason
ORDER BY c DESC, s.failed_reason
