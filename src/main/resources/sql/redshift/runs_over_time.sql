-- Each run's planned, attempted, succeeded, failed and aborted rows per operation, in time order.
SELECT
  u.sync_id,
  u.sync_run_id,
  u.model_name,
  u.started_at,
  u.run_status,
  u.op_type,
  u.planned,
  u.attempted,
  u.succeeded,
  u.failed,
  u.planned - u.attempted AS aborted
FROM (
  SELECT r.sync_id, r.sync_run_id, r.model_name, r.started_at, r.status AS run_status,
    'added' AS op_type, r.num_planned_add AS planned, r.num_attempted_add AS attempted,
    r.num_succeeded_add AS succeeded, r.num_failed_add AS failed
  FROM sync_audit.sync_runs r
  UNION ALL
  SELECT r.sync_id, r.sync_run_id, r.model_name, r.started_at, r.status,
    'changed', r.num_planned_change, r.num_attempted_change, r.num_succeeded_change,
    r.num_failed_change
  FROM sync_audit.sync_runs r
  UNION ALL
  SELECT r.sync_id, r.sync_run_id, r.model_name, r.started_at, r.status,
    'removed', r.num_planned_remove, r.num_attempted_remove, r.num_succeeded_remove,
    r.num_failed_remove
  FROM sync_audit.sync_runs r
) u
ORDER BY u.sync_id, u.started_at, u.sync_run_id, u.op_type
