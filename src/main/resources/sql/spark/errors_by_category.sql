-- Every failed operation in the changelog, per sync, in the category of the first rule of
-- error_rules whose pattern matches its failed_reason. Each distinct reason is matched once.
SELECT
  c.sync_id,
  coalesce(k.category, 'uncategorized') AS category,
  count(*) AS failures,
  count(DISTINCT c.row_id) AS failed_rows,
  min(c.failed_reason) AS example_reason
FROM sync_changelog c
LEFT JOIN (
  SELECT
    x.failed_reason,
    min_by(e.category, e.priority) AS category
  FROM (SELECT DISTINCT y.failed_reason FROM sync_changelog y WHERE y.status = 'failed') x
  JOIN error_rules e ON x.failed_reason RLIKE e.pattern
  GROUP BY x.failed_reason
) k ON c.failed_reason = k.failed_reason
WHERE c.status = 'failed'
GROUP BY c.sync_id, coalesce(k.category, 'uncategorized')
ORDER BY failures DESC, c.sync_id, category
