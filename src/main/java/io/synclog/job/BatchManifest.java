package io.synclog.job;

import io.synclog.config.ConfigSources;
import io.synclog.error.Errors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs a {@code record --batch FILE} records, one per line of the manifest:
 *
 * <pre>
 * # blank lines and lines starting with # are skipped
 * config=crm.properties run.id=2026-12-03T10:15 statuses.path=/landing/crm/2026-12-03T10:15
 * config=ads.properties run.id=2026-12-03T10:15 statuses.path="/landing/ads audience/10:15"
 * </pre>
 *
 * Each line is {@code key=value} pairs separated by spaces; a value holding spaces goes in double
 * quotes (with {@code \"} and {@code \\} inside). {@code config=} names a properties file, relative
 * to the manifest's folder unless absolute; every other pair is a setting, as {@code --key=value}
 * would give it.
 */
public record BatchManifest(Path path, List<Entry> entries) {
  /** The key that names a line's config file. */
  public static final String CONFIG = "config";

  /**
   * One line: its number, the settings of its config file (empty without one) and its own pairs.
   */
  public record Entry(int line, Map<String, String> configFile, Map<String, String> settings) {}

  /** Reads and checks the whole manifest before anything runs. */
  public static BatchManifest read(Path path) {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw Errors.unreadableManifest(path.toString(), e);
    }
    Path folder = path.toAbsolutePath().getParent();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      int number = i + 1;
      Map<String, String> pairs = pairs(path, number, text);
      String config = pairs.remove(CONFIG);
      Map<String, String> file = Map.of();
      if (config != null) {
        Path configPath = folder.resolve(config);
        if (!Files.isRegularFile(configPath)) {
          throw Errors.badManifest(
              path.toString(), number, "config file '" + configPath + "' does not exist");
        }
        file = ConfigSources.readFile(configPath);
      }
      entries.add(new Entry(number, file, Map.copyOf(pairs)));
    }
    if (entries.isEmpty()) {
      throw Errors.badManifest(path.toString(), 0, "it lists no runs");
    }
    return new BatchManifest(path, List.copyOf(entries));
  }

  /** The line's {@code key=value} pairs, in order; a key given twice is refused. */
  static Map<String, String> pairs(Path path, int line, String text) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    while (i < text.length()) {
      if (Character.isWhitespace(text.charAt(i))) {
        i++;
        continue;
      }
      int eq = text.indexOf('=', i);
      int space = firstSpace(text, i);
      if (eq < 0 || eq > space || eq == i) {
        throw Errors.badManifest(
            path.toString(), line, "'" + text.substring(i, space) + "' is not a key=value pair");
      }
      String key = text.substring(i, eq);
      if (key.startsWith("--")) {
        key = key.substring(2);
      }
      StringBuilder value = new StringBuilder();
      i = eq + 1;
      if (i < text.length() && text.charAt(i) == '"') {
        i = quoted(path, line, text, i + 1, key, value);
      } else {
        int end = firstSpace(text, i);
        value.append(text, i, end);
        i = end;
      }
      if (out.put(key, value.toString()) != null) {
        throw Errors.badManifest(path.toString(), line, "'" + key + "' is given twice");
      }
    }
    return out;
  }

  /** Reads a quoted value from {@code start} (after the quote); returns where the pair ends. */
  private static int quoted(
      Path path, int line, String text, int start, String key, StringBuilder value) {
    int i = start;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        value.append(text.charAt(i + 1));
        i += 2;
      } else if (c == '"') {
        if (i + 1 < text.length() && !Character.isWhitespace(text.charAt(i + 1))) {
          throw Errors.badManifest(
              path.toString(), line, "the quoted value of '" + key + "' runs into other text");
        }
        return i + 1;
      } else {
        value.append(c);
        i++;
      }
    }
    throw Errors.badManifest(path.toString(), line, "the quote after '" + key + "=' is not closed");
  }

  private static int firstSpace(String text, int from) {
    int i = from;
    while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }
}
