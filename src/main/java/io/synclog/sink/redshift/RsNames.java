package io.synclog.sink.redshift;

import io.synclog.sink.warehouse.WarehouseNames;
import java.util.Map;

/**
 * The sink's Redshift names: plain identifiers of at most 127 bytes, lower-cased, then quoted (see
 * {@link RedshiftDialect}); the per-run staging tables are named after a hash of the sync and run.
 */
final class RsNames extends WarehouseNames {
  /**
   * @param schema the schema of the tables
   * @param physical the physical name of each logical table (changelog, snapshot, runs)
   */
  RsNames(String schema, Map<String, String> physical) {
    super(RedshiftDialect.INSTANCE, schema, physical);
  }

  /** Checks a name is a plain SQL identifier; returns it lower-cased. */
  static String identifier(String what, String name) {
    return identifier(RedshiftDialect.INSTANCE, what, name);
  }

  /** A double-quoted identifier, lower-cased; a quote inside is doubled. */
  static String quote(String name) {
    return RedshiftDialect.INSTANCE.quote(name);
  }
}
