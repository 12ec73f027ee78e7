-- The current rows of every model: each row whose latest status is not 'failed', one line per
-- (row, model). QUALIFY keeps one line per pair; a row waiting for its removal (op_type
-- 'removed') has left the model, so it is not current.
with model_names as (
  select distinct
    sync_id,
    model_name
  from sync_audit.sync_runs
)
select
  r.model_name,
  s.row_id as user_id
from sync_audit.sync_snapshot s
join model_names r on s.sync_id = r.sync_id
where s.status <> 'failed' and s.op_type <> 'removed'
qualify row_number() over (partition by s.row_id, r.model_name order by s.sync_id) = 1
order by user_id, r.model_name
