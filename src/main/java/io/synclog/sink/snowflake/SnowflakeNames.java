package io.synclog.sink.snowflake;

import io.synclog.sink.warehouse.WarehouseNames;
import java.util.Map;

/** The sink's Snowflake names: folded to upper case, then quoted (see {@link SnowflakeDialect}). */
final class SnowflakeNames extends WarehouseNames {
  static final String STAGING_PREFIX =
      SnowflakeDialect.INSTANCE.fold(WarehouseNames.STAGING_PREFIX);

  /**
   * @param schema target.schema
   * @param physical the physical name of each logical table (changelog, snapshot, runs)
   */
  SnowflakeNames(String schema, Map<String, String> physical) {
    super(SnowflakeDialect.INSTANCE, schema, physical);
  }

  static boolean isPlain(String name) {
    return isPlain(SnowflakeDialect.INSTANCE, name);
  }

  /** The name as Snowflake stores an unquoted identifier. */
  static String folded(String name) {
    return SnowflakeDialect.INSTANCE.fold(name);
  }

  static String quote(String name) {
    return SnowflakeDialect.INSTANCE.quote(name);
  }
}
