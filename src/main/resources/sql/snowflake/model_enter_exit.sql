-- When each row entered (added) and exited (removed) each model, one line per change of state.
-- Joins each changelog row to its own run (sync_id and sync_run_id) for the run's start time;
-- lag() finds the previous non-'changed' operation of the same row in the same model.
with details as (
  select
    r.model_name,
    c.row_id,
    c.op_type as type,
    r.started_at as started_at,
    lag(c.op_type) over (
      partition by r.model_name, c.row_id order by r.started_at
    ) as lag_type
  from sync_audit.sync_changelog c
  join sync_audit.sync_runs r
    on c.sync_id = r.sync_id and c.sync_run_id = r.sync_run_id
  where c.op_type <> 'changed'
)
select
  row_id as user_id,
  model_name as audience,
  type,
  started_at as "timestamp"
from details
where lag_type is distinct from type
order by model_name, row_id, started_at
