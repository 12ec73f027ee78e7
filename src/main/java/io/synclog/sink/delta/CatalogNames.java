package io.synclog.sink.delta;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The names of the Delta tables in a catalog: {@code catalog.schema.table}, or {@code schema.table}
 * in the session's current catalog when no catalog is set. Each part is quoted with backticks in
 * SQL, so names are used exactly as configured.
 *
 * @param catalog the catalog, or null for the session's current one
 * @param schema the schema (database)
 * @param physical the physical name of each logical table (changelog, snapshot, runs)
 */
record CatalogNames(String catalog, String schema, Map<String, String> physical) {
  /** Unity Catalog allows more than this in a catalog name; synclog keeps to the safe part. */
  private static final Pattern CATALOG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,254}");

  public CatalogNames {
    physical = Map.copyOf(physical);
  }

  /** Problems with the names, for {@code Errors.targetSettings}; empty when they are usable. */
  public static List<String> problems(String catalog) {
    List<String> problems = new ArrayList<>();
    if (catalog != null && !CATALOG.matcher(catalog).matches()) {
      problems.add(
          "'target.catalog' is '"
              + catalog
              + "'; use letters, digits, underscores and hyphens (no dots, spaces or backticks),"
              + " or leave it unset for the session's current catalog");
    }
    return problems;
  }

  public String table(String logical) {
    return physical.getOrDefault(logical, logical);
  }

  public String schemaDisplay() {
    return catalog == null ? schema : catalog + "." + schema;
  }

  public String schemaSql() {
    String quoted = DeltaStatements.quote(schema);
    return catalog == null ? quoted : DeltaStatements.quote(catalog) + "." + quoted;
  }

  public String display(String logical) {
    return schemaDisplay() + "." + table(logical);
  }

  public String sql(String logical) {
    return schemaSql() + "." + DeltaStatements.quote(table(logical));
  }
}
