package io.synclog.config;

import java.util.List;

/**
 * One configuration key, declared once with its default and its documentation.
 *
 * @param name the key, as written in a config file or as {@code --name=value}
 * @param defaultValue the value when no source sets it, or {@code null} when there is none
 * @param choices the allowed values, or an empty list when any value is allowed
 * @param secret whether the value is a secret: never read from the config file, never printed
 * @param doc one sentence for the configuration reference (src/site/markdown) and {@code --help}
 */
public record ConfigKey(
    String name, String defaultValue, List<String> choices, boolean secret, String doc) {

  static ConfigKey of(String name, String defaultValue, String doc) {
    return new ConfigKey(name, defaultValue, List.of(), false, doc);
  }

  static ConfigKey choice(String name, String defaultValue, List<String> choices, String doc) {
    return new ConfigKey(name, defaultValue, List.copyOf(choices), false, doc);
  }

  static ConfigKey secret(String name, String doc) {
    return new ConfigKey(name, null, List.of(), true, doc);
  }

  /** The environment variable that may set this key: {@code SYNCLOG_MODEL_PRIMARY_KEY}. */
  public String envVar() {
    return "SYNCLOG_" + name.toUpperCase().replace('.', '_').replace('-', '_');
  }

  /** The Spark conf entry that may set this key: {@code spark.synclog.model.primary-key}. */
  public String sparkConf() {
    return "spark.synclog." + name;
  }
}
