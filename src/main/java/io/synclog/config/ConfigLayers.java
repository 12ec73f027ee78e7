package io.synclog.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the configuration's sources, each over the one before: defaults, then the config file,
 * Spark conf, the environment, and the command line last. Unknown keys and secrets set where a
 * secret may not be are reported, with the nearest known key as a suggestion.
 */
final class ConfigLayers {
  private ConfigLayers() {}

  /** The merged values; every problem found is added to {@code problems}. */
  static Map<String, String> merge(ConfigSources sources, List<String> problems) {
    Map<String, String> merged = new LinkedHashMap<>();
    for (ConfigKey key : ConfigKeys.ALL.values()) {
      if (key.defaultValue() != null) {
        merged.put(key.name(), key.defaultValue());
      }
    }
    layer(merged, sources.file(), "the config file", false, problems);
    layer(merged, sources.sparkConf(), "Spark conf", true, problems);
    layer(merged, sources.env(), "the environment", true, problems);
    layer(merged, sources.commandLine(), "the command line", false, problems);
    return merged;
  }

  private static void layer(
      Map<String, String> merged,
      Map<String, String> source,
      String sourceName,
      boolean secretsAllowed,
      List<String> problems) {
    source.forEach(
        (name, value) -> {
          ConfigKey key = ConfigKeys.ALL.get(name);
          if (key == null) {
            problems.add("unknown key '" + name + "' in " + sourceName + suggestion(name));
          } else if (key.secret() && !secretsAllowed) {
            problems.add(
                "'"
                    + name
                    + "' is a secret and cannot be set in "
                    + sourceName
                    + "; set environment variable "
                    + key.envVar()
                    + " or Spark conf "
                    + key.sparkConf());
          } else if (value == null || value.isBlank()) {
            // A blank value means "not set here": fall back to the default, if any.
            if (key.defaultValue() == null) {
              merged.remove(name);
            } else {
              merged.put(name, key.defaultValue());
            }
          } else {
            merged.put(name, value.trim());
          }
        });
  }

  private static String suggestion(String name) {
    String best = null;
    int bestDistance = 4;
    for (String known : ConfigKeys.ALL.keySet()) {
      int d = distance(name, known);
      if (d < bestDistance) {
        best = known;
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
