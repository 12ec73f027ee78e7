-- Rules that put a raw failed_reason in a category: the rule with the lowest priority whose
-- regular expression (Java syntax, as RLIKE uses) finds a match wins. Add your destinations'
-- messages here; a reason no rule matches is 'uncategorized', so unexpected errors stand out.
SELECT
  rules.priority,
  rules.pattern,
  rules.category
FROM VALUES
  (10, '(?i)invalid.?email|email address is not valid', 'invalid email'),
  (20, '(?i)entity_is_locked|exclusive access|record is locked', 'record locked'),
  (30, '(?i)rate.?limit|too many requests', 'rate limited'),
  (40, '(?i)(null|duplicate) primary key', 'bad primary key'),
  (50, '(?i)timed? ?out', 'timeout'),
  (60, '(?i)unauthori[sz]ed|forbidden|permission|access denied', 'permission'),
  (70, '(?i)required field|missing required|cannot be (null|empty|blank)', 'missing field'),
  (80, '(?i)unknown status', 'unknown status')
  AS rules(priority, pattern, category)
