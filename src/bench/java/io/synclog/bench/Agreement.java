package io.synclog.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Whether the three diffs wrote the same changelog: the same count per (op_type, status) and the
 * same hash of the sorted {@code row_id|op_type|status} lines, and counts that match what the
 * generator planned.
 */
record Agreement(Map<String, Summary> byVariant, List<String> problems) {

  /** One variant's changelog, as {@link ChangelogCheck} printed it. */
  record Summary(long rows, Map<String, Long> cells, String sha256) {
    long ofOp(String op) {
      return cells.entrySet().stream()
          .filter(e -> e.getKey().startsWith(op + "/"))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    long ofStatus(String status) {
      return cells.entrySet().stream()
          .filter(e -> e.getKey().endsWith("/" + status))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }
  }

  /**
   * @param timed the variants that ran: synclog, or all three diffs (and the floor, which writes no
   *     changelog)
   */
  static Agreement of(String checkOutput, Properties expected, java.util.Set<String> timed) {
    Map<String, Summary> byVariant = parse(checkOutput);
    List<String> problems = new ArrayList<>();
    Summary synclog = byVariant.get(BenchMain.SYNCLOG);
    long diffs = timed.stream().filter(v -> !v.equals(BenchMain.FLOOR)).count();
    if (synclog == null || byVariant.size() < diffs) {
      problems.add("the check did not report every variant's changelog");
      return new Agreement(byVariant, problems);
    }
    byVariant.forEach(
        (variant, s) -> {
          if (!s.equals(synclog)) {
            problems.add(variant + " wrote a different changelog from synclog");
          }
        });
    problems.addAll(againstPlan("synclog", synclog, expected));
    return new Agreement(byVariant, problems);
  }

  /** The {@code CHECK} lines {@link ChangelogCheck} printed, by the name each line gives. */
  static Map<String, Summary> parse(String checkOutput) {
    Map<String, Summary> byName = new LinkedHashMap<>();
    for (String line : checkOutput.lines().filter(l -> l.startsWith("CHECK ")).toList()) {
      String[] parts = line.split(" ");
      long rows = 0;
      String sha = "";
      Map<String, Long> cells = new TreeMap<>();
      for (int i = 2; i < parts.length; i++) {
        String[] kv = parts[i].split("=", 2);
        switch (kv[0]) {
          case "rows" -> rows = Long.parseLong(kv[1]);
          case "sha256" -> sha = kv[1];
          default -> cells.put(kv[0], Long.parseLong(kv[1]));
        }
      }
      byName.put(parts[1], new Summary(rows, cells, sha));
    }
    return byName;
  }

  /** Where {@code who}'s changelog differs from what the generator planned. */
  static List<String> againstPlan(String who, Summary logged, Properties expected) {
    List<String> problems = new ArrayList<>();
    for (String op : List.of("added", "changed", "removed")) {
      long want = Long.parseLong(expected.getProperty(op));
      if (logged.ofOp(op) != want) {
        problems.add(who + " logged " + logged.ofOp(op) + " " + op + " rows, expected " + want);
      }
    }
    long failed = Long.parseLong(expected.getProperty("failed"));
    if (logged.ofStatus("failed") != failed) {
      problems.add(who + " logged " + logged.ofStatus("failed") + " failures, expected " + failed);
    }
    return problems;
  }

  boolean ok() {
    return problems.isEmpty();
  }

  String describe() {
    StringBuilder sb =
        new StringBuilder("changelogs (rows per op_type/status, sorted-rows hash):\n");
    byVariant.forEach(
        (variant, s) ->
            sb.append(
                String.format(
                    "  %-12s %,10d  %s  %s%n",
                    variant,
                    s.rows(),
                    s.cells(),
                    s.sha256().substring(0, Math.min(16, s.sha256().length())))));
    if (ok()) {
      sb.append(
          byVariant.size() == 1
              ? "  synclog's matches the generated plan\n"
              : "  all three agree, and match the generated plan\n");
    } else {
      problems.forEach(p -> sb.append("  MISMATCH: ").append(p).append('\n'));
    }
    return sb.toString();
  }
}
