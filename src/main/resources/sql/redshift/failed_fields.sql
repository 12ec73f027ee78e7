-- The fields of every row whose latest attempt failed, with the reason. fields_text is the JSON
-- text synclog compared; fields holds the same value as SUPER, for PartiQL paths on Redshift
-- (s.fields.email) or JSON_SERIALIZE(s.fields).
SELECT
  s.sync_id,
  s.row_id,
  s.failed_reason,
  s.fields_text
FROM sync_audit.sync_snapshot s
WHERE s.status = 'failed'
ORDER BY s.sync_id, s.row_id
