-- The current rows of every model: each row's latest status that is not 'failed', one line per
-- (row, model). DISTINCT ON stands in for Snowflake's QUALIFY row_number() ... = 1.
with model_names as (
  select distinct
    sync_id,
    model_name
  from sync_audit.sync_runs
)
select distinct on (s.row_id, r.model_name)
  r.model_name,
  s.row_id as user_id
from sync_audit.sync_snapshot s
join model_names r on s.sync_id = r.sync_id
where s.status <> 'failed'
order by s.row_id, r.model_name
