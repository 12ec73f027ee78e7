-- The most common sync errors: the rows whose latest attempt failed, grouped by reason.
-- Served by the partial index sync_snapshot_failed_reason. Replace sync_audit with target.schema.
select
  failed_reason,
  count(*) as c
from sync_audit.sync_snapshot
where failed_reason is not null
group by failed_reason
order by c desc, failed_reason
