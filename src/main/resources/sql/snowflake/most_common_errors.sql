-- The most common sync errors: the rows whose latest attempt failed, grouped by reason.
-- Replace sync_audit with target.schema (unquoted names resolve to synclog's UPPERCASE tables).
select
  failed_reason,
  count(*) as c
from sync_audit.sync_snapshot
where failed_reason is not null
group by failed_reason
order by c desc, failed_reason
