package io.synclog.bench;

import java.util.Locale;
import java.util.Map;

/** The benchmark's table and its one-line {@code RESULT}. */
final class Report {
  private Report() {}

  private static final Map<String, String> WHAT =
      Map.of(
          BenchMain.SYNCLOG, "record on Delta: diff, status merge, 3 tables",
          BenchMain.NAIVE, "Spark full outer join on to_json(row), 2 Parquet outputs",
          BenchMain.DUCKDB, "DuckDB SQL, same diff, 2 Parquet outputs",
          BenchMain.FLOOR, "Spark reads both inputs once, hashes rows, writes nothing");

  static String table(BenchOptions options, Map<String, ChildJvm.Result> timed) {
    StringBuilder sb =
        new StringBuilder(
            String.format(
                "%,d model rows, change rate %s, fail rate %s; each variant in its own JVM%n",
                options.rows(), options.changeRate(), options.failRate()));
    sb.append(
        String.format(
            "%-12s %9s %12s %9s  %s%n", "variant", "seconds", "rows/s", "peak MB", "what"));
    timed.forEach(
        (name, r) ->
            sb.append(
                String.format(
                    "%-12s %9.1f %,12.0f %,9.0f  %s%n",
                    name, r.seconds(), options.rows() / r.seconds(), r.peakMb(), WHAT.get(name))));
    return sb.toString();
  }

  /**
   * The last line when synclog ran alone: {@code SYNCLOG} ({@code --only synclog}), or {@code
   * SMALL} ({@code --small}).
   */
  static String synclogOnly(String label, long rows, Map<String, ChildJvm.Result> timed) {
    ChildJvm.Result r = timed.get(BenchMain.SYNCLOG);
    return String.format(
        Locale.ROOT,
        "%s rows=%d synclog_s=%.2f synclog_peak_mb=%.0f",
        label,
        rows,
        r.seconds(),
        r.peakMb());
  }

  static String result(long rows, Map<String, ChildJvm.Result> timed) {
    double synclog = timed.get(BenchMain.SYNCLOG).seconds();
    double naive = timed.get(BenchMain.NAIVE).seconds();
    double duckdb = timed.get(BenchMain.DUCKDB).seconds();
    double floor = timed.get(BenchMain.FLOOR).seconds();
    return String.format(
        Locale.ROOT,
        "RESULT rows=%d synclog_s=%.2f naive_spark_s=%.2f duckdb_s=%.2f floor_s=%.2f"
            + " synclog_vs_duckdb=%.2f synclog_vs_naive=%.2f synclog_vs_floor=%.2f"
            + " synclog_peak_mb=%.0f",
        rows,
        synclog,
        naive,
        duckdb,
        floor,
        synclog / duckdb,
        synclog / naive,
        synclog / floor,
        timed.get(BenchMain.SYNCLOG).peakMb());
  }
}
