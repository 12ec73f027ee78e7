package io.synclog.config;

import io.synclog.error.Errors;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The layered sources of configuration, lowest priority first:
 *
 * <ol>
 *   <li>built-in defaults ({@link ConfigKeys});
 *   <li>the config file given with {@code --config} (Java properties);
 *   <li>Spark conf entries {@code spark.synclog.<key>};
 *   <li>environment variables {@code SYNCLOG_<KEY>};
 *   <li>command-line overrides {@code --<key>=<value>}.
 * </ol>
 *
 * Secrets are taken from Spark conf and the environment only.
 */
public record ConfigSources(
    Map<String, String> file,
    Map<String, String> sparkConf,
    Map<String, String> env,
    Map<String, String> commandLine) {

  public ConfigSources {
    file = Map.copyOf(file);
    sparkConf = Map.copyOf(sparkConf);
    env = Map.copyOf(env);
    commandLine = Map.copyOf(commandLine);
  }

  public static ConfigSources ofCommandLine(Map<String, String> commandLine) {
    return new ConfigSources(Map.of(), Map.of(), Map.of(), commandLine);
  }

  /** Reads a Java properties file into a map, keeping every key as written. */
  public static Map<String, String> readFile(Path path) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(path)) {
      props.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw Errors.unreadableConfigFile(path.toString(), e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    props.stringPropertyNames().forEach(k -> out.put(k.trim(), props.getProperty(k).trim()));
    return out;
  }

  /** Keeps the environment variables that name a key ({@code SYNCLOG_...}). */
  public static Map<String, String> fromEnv(Map<String, String> environment) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ConfigKey key : ConfigKeys.ALL.values()) {
      String value = environment.get(key.envVar());
      if (value != null) {
        out.put(key.name(), value);
      }
    }
    return out;
  }

  /** Keeps the Spark conf entries that name a key ({@code spark.synclog....}). */
  public static Map<String, String> fromSparkConf(Map<String, String> conf) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ConfigKey key : ConfigKeys.ALL.values()) {
      String value = conf.get(key.sparkConf());
      if (value != null) {
        out.put(key.name(), value);
      }
    }
    return out;
  }
}
