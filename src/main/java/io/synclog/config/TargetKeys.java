package io.synclog.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration's values by key, as a target's typed settings read them once: the resolved
 * {@link SyncConfig}, or in a unit test a plain map. Each target parses its {@code target.*} keys
 * from here into an immutable settings value, so a sink never sees the whole configuration.
 */
public interface TargetKeys {
  /** The key's value, its default when no source set it, or null. */
  String get(ConfigKey key);

  /** A secret key's value, if set. */
  Optional<Secret> secret(ConfigKey key);

  default Optional<String> optional(ConfigKey key) {
    return Optional.ofNullable(get(key));
  }

  /** {@code target.schema}. */
  default String schema() {
    return get(ConfigKeys.TARGET_SCHEMA);
  }

  /**
   * Keys from a plain map, over every key's default; secret keys become {@link Secret}s. For unit
   * tests of settings: no layering and no validation.
   */
  static TargetKeys of(Map<String, String> values) {
    Map<String, String> plain = new LinkedHashMap<>();
    Map<String, Secret> secrets = new LinkedHashMap<>();
    for (ConfigKey key : ConfigKeys.ALL.values()) {
      String value = values.getOrDefault(key.name(), key.defaultValue());
      if (value != null && key.secret()) {
        secrets.put(key.name(), Secret.of(value));
      } else if (value != null) {
        plain.put(key.name(), value);
      }
    }
    return new TargetKeys() {
      @Override
      public String get(ConfigKey key) {
        return plain.get(key.name());
      }

      @Override
      public Optional<Secret> secret(ConfigKey key) {
        return Optional.ofNullable(secrets.get(key.name()));
      }
    };
  }
}
