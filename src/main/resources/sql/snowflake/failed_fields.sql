-- The failed rows of one sync with members of their synced fields: fields is a VARIANT, so its
-- members are read with a path and cast. Replace 'my-sync' and the member names with yours.
select
  s.row_id,
  s.failed_reason,
  s.fields:email::string as email,
  s.fields:plan::string as plan
from sync_audit.sync_snapshot s
where s.sync_id = 'my-sync'
  and s.status = 'failed'
order by s.row_id
