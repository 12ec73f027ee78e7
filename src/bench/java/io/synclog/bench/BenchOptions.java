package io.synclog.bench;

import java.nio.file.Path;

/** The command line of {@code jobs/bench}. */
record BenchOptions(
    long rows,
    double changeRate,
    double failRate,
    Path dir,
    boolean profile,
    boolean directPrepare,
    boolean synclogOnly) {
  static final String USAGE =
      """
      Usage: jobs/bench --rows N [--change-rate 0.01] [--fail-rate 0.005] [--dir target/bench]
                        [--profile] [--prepare records|direct] [--only synclog]

        --rows N          rows of the generated model (required)
        --change-rate R   share of rows planned in the timed run: a third removed, a third
                          changed, and a third of N again added (default 0.01)
        --fail-rate F     share of the planned rows the engine reports failed (default 0.005)
        --dir PATH        where inputs, outputs and logs go; emptied first (default target/bench)
        --profile         record a Java Flight Recording of synclog's timed run (synclog.jfr)
        --prepare HOW     records (default): synclog records run-0 and run-1, untimed;
                          direct: their tables are written directly, for sizes where those two
                          runs of every row take hours
        --only synclog    time synclog alone and check its changelog against the generated plan
                          (no RESULT line: that needs every variant)
      """;

  static BenchOptions parse(String[] args) {
    Long rows = null;
    double changeRate = 0.01;
    double failRate = 0.005;
    Path dir = Path.of("target/bench");
    boolean profile = false;
    boolean directPrepare = false;
    boolean synclogOnly = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      if (arg.equals("--profile")) {
        profile = true;
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a value.");
        }
        value = args[++i];
      }
      switch (arg) {
        case "--rows" -> rows = parseRows(value);
        case "--change-rate" -> changeRate = parseRate(arg, value);
        case "--fail-rate" -> failRate = parseRate(arg, value);
        case "--dir" -> dir = Path.of(value);
        case "--prepare" -> directPrepare = choice(arg, value, "records", "direct");
        case "--only" -> synclogOnly = choice(arg, value, null, "synclog");
        default -> throw new IllegalArgumentException("Unknown option '" + arg + "'.");
      }
    }
    if (rows == null) {
      throw new IllegalArgumentException("--rows is required, for example --rows 1000000.");
    }
    return new BenchOptions(rows, changeRate, failRate, dir, profile, directPrepare, synclogOnly);
  }

  /** True for {@code yes}, false for {@code no} (when allowed); anything else is an error. */
  private static boolean choice(String option, String value, String no, String yes) {
    if (value.equals(yes)) {
      return true;
    }
    if (value.equals(no)) {
      return false;
    }
    throw new IllegalArgumentException(
        option
            + " takes "
            + (no == null ? "" : no + " or ")
            + yes
            + ", not '"
            + value
            + "'.");
  }

  /** Accepts 1000000, 1_000_000, 100k, 1m or 10M. */
  private static long parseRows(String value) {
    String v = value.trim().toLowerCase().replace("_", "");
    long scale = 1;
    if (v.endsWith("k")) {
      scale = 1_000;
      v = v.substring(0, v.length() - 1);
    } else if (v.endsWith("m")) {
      scale = 1_000_000;
      v = v.substring(0, v.length() - 1);
    }
    try {
      long rows = Long.parseLong(v) * scale;
      if (rows < 1) {
        throw new IllegalArgumentException("--rows takes a number of rows of at least 1.");
      }
      return rows;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--rows takes a whole number, not '" + value + "'.");
    }
  }

  private static double parseRate(String option, String value) {
    try {
      double rate = Double.parseDouble(value);
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException(
            option + " takes a share from 0 to 1, not " + value + ".");
      }
      return rate;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " takes a number such as 0.01, not '" + value + "'.");
    }
  }
}
