package io.synclog.sink.bigquery;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A mechanical rewrite of the sink's GoogleSQL into PostgreSQL, so the statements' semantics run on
 * a real database: {@code `project.dataset.table`} becomes {@code "dataset"."table"}, named
 * parameters become typed literals, {@code ASSERT cond AS 'msg'} becomes a DO block that raises,
 * column types map one to one (JSON to jsonb), and the BigQuery-only table layout clauses
 * (PARTITION BY, CLUSTER BY) are dropped. Nothing else is changed: the DELETE, INSERT ... SELECT
 * and MERGE ... ON FALSE / WHEN NOT MATCHED BY SOURCE statements run as written. {@link #any} takes
 * any one statement of a script: DDL as {@link #ddl}, {@code ADD COLUMN} with its type mapped, a
 * staging table's {@code SET OPTIONS} (expiry, which PostgreSQL has no notion of) as nothing to
 * run, the rest as {@link #statement}.
 */
final class BqToPg {
  private static final Pattern PATH = Pattern.compile("`[^`.]+\\.([^`.]+)(?:\\.([^`.]+))?`");
  private static final Pattern PARAM = Pattern.compile("@(\\w+)");
  private static final Pattern ASSERT = Pattern.compile("(?s)ASSERT (.*) AS '([^']*)'");
  private static final Pattern ADD_COLUMN =
      Pattern.compile("(?s)(ALTER TABLE \\S+ ADD COLUMN (?:IF NOT EXISTS )?\\w+) (\\w+)");
  private static final Pattern SET_OPTIONS = Pattern.compile("(?s)ALTER TABLE \\S+ SET OPTIONS .*");
  private static final Map<String, String> TYPES =
      Map.of(
          "JSON", "jsonb",
          "STRING", "text",
          "INT64", "bigint",
          "BOOL", "boolean",
          "TIMESTAMP", "timestamptz",
          "DATE", "date");

  private BqToPg() {}

  static String statement(String sql, List<BqParam> params) {
    Map<String, BqParam> byName = params.stream().collect(Collectors.toMap(BqParam::name, p -> p));
    String s = paths(sql);
    Matcher p = PARAM.matcher(s);
    StringBuilder b = new StringBuilder();
    while (p.find()) {
      BqParam param = byName.get(p.group(1));
      if (param == null) {
        throw new IllegalArgumentException("no value for @" + p.group(1) + " in " + sql);
      }
      p.appendReplacement(b, Matcher.quoteReplacement(literal(param)));
    }
    p.appendTail(b);
    s = b.toString().replace("CURRENT_TIMESTAMP()", "CURRENT_TIMESTAMP");
    Matcher a = ASSERT.matcher(s);
    if (a.matches()) {
      s =
          "DO $$ BEGIN IF NOT ("
              + a.group(1)
              + ") THEN RAISE EXCEPTION '"
              + a.group(2)
              + "'; END IF; END $$";
    }
    return s;
  }

  /** Any one statement of a script, in PostgreSQL, or null when there is nothing to run. */
  static String any(String sql, List<BqParam> params) {
    if (SET_OPTIONS.matcher(sql).matches()) {
      return null;
    }
    if (sql.startsWith("CREATE ")) {
      return ddl(sql);
    }
    Matcher add = ADD_COLUMN.matcher(sql);
    if (add.matches()) {
      return paths(add.group(1)) + " " + TYPES.getOrDefault(add.group(2), add.group(2));
    }
    return statement(sql, params);
  }

  /** A CREATE SCHEMA or CREATE TABLE statement, with PostgreSQL types and no layout clauses. */
  static String ddl(String sql) {
    String s = paths(sql).replaceAll("\\n(PARTITION BY|CLUSTER BY)[^\\n]*$", "");
    for (Map.Entry<String, String> t : TYPES.entrySet()) {
      s = s.replaceAll("(?m)^(  \\w+) " + t.getKey() + "\\b", "$1 " + t.getValue());
    }
    return s;
  }

  private static String paths(String sql) {
    Matcher m = PATH.matcher(sql);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String replacement =
          m.group(2) == null
              ? "\"" + m.group(1) + "\""
              : "\"" + m.group(1) + "\".\"" + m.group(2) + "\"";
      m.appendReplacement(b, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(b);
    return b.toString();
  }

  private static String literal(BqParam p) {
    String type = TYPES.get(p.type());
    if (p.value() == null) {
      return "CAST(NULL AS " + type + ")";
    }
    return "CAST('" + p.value().replace("'", "''") + "' AS " + type + ")";
  }
}
