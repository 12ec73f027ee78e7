-- Audience membership per run: rows that entered and exited the model (a retried add or removal
-- counts once), rows the destination received or lost, and the members held in the destination
-- after each run: a running total of successful adds minus successful removals.
SELECT
  p.sync_id,
  p.model_name,
  p.sync_run_id,
  p.started_at,
  p.entered,
  p.exited,
  p.added_to_destination,
  p.removed_from_destination,
  sum(p.added_to_destination - p.removed_from_destination) OVER (
    PARTITION BY p.sync_id ORDER BY p.started_at, p.sync_run_id
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS members_after_run
FROM (
  SELECT
    r.sync_id,
    r.model_name,
    r.sync_run_id,
    r.started_at,
    coalesce(m.entered, 0) AS entered,
    coalesce(m.exited, 0) AS exited,
    coalesce(m.added_to_destination, 0) AS added_to_destination,
    coalesce(m.removed_from_destination, 0) AS removed_from_destination
  FROM sync_runs r
  LEFT JOIN (
    SELECT
      e.sync_id,
      e.sync_run_id,
      count_if(e.op_type = 'added' AND (e.prev_op IS NULL OR e.prev_op <> 'added')) AS entered,
      count_if(e.op_type = 'removed' AND (e.prev_op IS NULL OR e.prev_op <> 'removed')) AS exited,
      count_if(e.op_type = 'added' AND e.status = 'succeeded') AS added_to_destination,
      count_if(e.op_type = 'removed' AND e.status = 'succeeded') AS removed_from_destination
    FROM (
      SELECT
        c.sync_id,
        c.sync_run_id,
        c.op_type,
        c.status,
        lag(c.op_type) OVER (
          PARTITION BY c.sync_id, c.row_id ORDER BY q.started_at, c.sync_run_id
        ) AS prev_op
      FROM sync_changelog c
      JOIN sync_runs q ON c.sync_id = q.sync_id AND c.sync_run_id = q.sync_run_id
      WHERE c.op_type <> 'changed'
    ) e
    GROUP BY e.sync_id, e.sync_run_id
  ) m ON m.sync_id = r.sync_id AND m.sync_run_id = r.sync_run_id
) p
ORDER BY p.sync_id, p.started_at, p.sync_run_id
