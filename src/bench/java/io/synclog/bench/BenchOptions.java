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
    boolean synclogOnly,
    boolean small,
    int batch,
    int parallel) {
  /** The model size of {@code --small} and {@code --batch} unless {@code --rows} says otherwise. */
  static final long SMALL_ROWS = 100_000;

  static final String USAGE =
      """
      Usage: jobs/bench --rows N [--change-rate 0.01] [--fail-rate 0.005] [--dir target/bench]
                        [--profile] [--prepare records|direct] [--only synclog]
             jobs/bench --small [--rows 100000] [options above]
             jobs/bench --batch SYNCS [--parallel N] [--rows 100000] [--change-rate R]
                        [--fail-rate F] [--dir D]

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
        --small           one steady-state run of a small model (100,000 rows unless --rows),
                          synclog alone, JVM start-up included; ends with a SMALL line
        --batch SYNCS     SYNCS syncs of --rows rows each (100,000 unless given), one run each:
                          record --batch in one application against SYNCS separate record
                          commands, each in its own JVM; ends with a BATCH line
        --parallel N      with --batch: the batch records N syncs at a time (default 1)
      """;

  static BenchOptions parse(String[] args) {
    Long rows = null;
    double changeRate = 0.01;
    double failRate = 0.005;
    Path dir = Path.of("target/bench");
    boolean profile = false;
    boolean directPrepare = false;
    boolean synclogOnly = false;
    boolean small = false;
    int batch = 0;
    int parallel = 1;
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
      if (arg.equals("--small")) {
        small = true;
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
        case "--batch" -> batch = parseCount(arg, value);
        case "--parallel" -> parallel = parseCount(arg, value);
        default -> throw new IllegalArgumentException("Unknown option '" + arg + "'.");
      }
    }
    if (small && batch > 0) {
      throw new IllegalArgumentException("--small and --batch are two benchmarks: pick one.");
    }
    if (rows == null && (small || batch > 0)) {
      rows = SMALL_ROWS;
    }
    if (rows == null) {
      throw new IllegalArgumentException("--rows is required, for example --rows 1000000.");
    }
    if (parallel > 1 && batch == 0) {
      throw new IllegalArgumentException("--parallel goes with --batch.");
    }
    if (batch > 0 && (directPrepare || profile || synclogOnly)) {
      throw new IllegalArgumentException(
          "--batch takes --rows, --change-rate, --fail-rate and --dir only.");
    }
    return new BenchOptions(
        rows,
        changeRate,
        failRate,
        dir,
        profile,
        directPrepare,
        synclogOnly || small,
        small,
        batch,
        parallel);
  }

  private static int parseCount(String option, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 1 || n > 1000) {
        throw new IllegalArgumentException(option + " takes 1 to 1000, not " + value + ".");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " takes a whole number, not '" + value + "'.");
    }
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
        option + " takes " + (no == null ? "" : no + " or ") + yes + ", not '" + value + "'.");
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
