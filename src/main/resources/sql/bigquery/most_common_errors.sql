-- The most common sync errors: the rows whose latest attempt failed, grouped by reason.
-- GoogleSQL. Replace sync_audit with your dataset (target.schema), or `project.sync_audit`.
SELECT
  failed_reason,
  COUNT(*) AS c
FROM sync_audit.sync_snapshot
WHERE failed_reason IS NOT NULL
GROUP BY failed_reason
ORDER BY c DESC, failed_reason
