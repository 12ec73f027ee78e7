-- A model field's value in each row's latest state, read from the JSON fields column: here the
-- field 'email' of every row that failed. JSON_VALUE returns the scalar as a STRING (NULL when
-- the field is missing or not a scalar). GoogleSQL; replace sync_audit and 'email'.
SELECT
  s.sync_id,
  s.row_id,
  JSON_VALUE(s.fields, '$.email') AS email,
  s.failed_reason
FROM sync_audit.sync_snapshot s
WHERE s.status = 'failed'
ORDER BY s.sync_id, s.row_id
