package io.synclog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The benchmark driver behind {@code jobs/bench}: generates the inputs, prepares synclog's tables
 * with a first run, then times synclog {@code record}, a naive Spark diff, DuckDB and a Spark
 * read-and-hash floor, each in its own JVM; checks that the three diffs wrote the same changelog
 * and prints a table and a {@code RESULT} line.
 */
public final class BenchMain {
  private BenchMain() {}

  static final String SYNCLOG = "synclog";
  static final String NAIVE = "naive_spark";
  static final String DUCKDB = "duckdb";
  static final String FLOOR = "floor";

  /** Heap of the Spark children; synclog's target is a peak under 4 GB with it. */
  static final String SPARK_HEAP = "-Xmx4g";

  /** DuckDB keeps its data outside the Java heap, so its JVM needs little. */
  static final String DUCKDB_HEAP = "-Xmx1g";

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n\n" + BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    int code;
    try {
      code = options.batch() > 0 ? new BatchBench(options).run() : new BenchMain.Run(options).run();
    } catch (IllegalStateException e) {
      // A step failed or the folder is not ours: the message says which, with the log's tail.
      System.err.println(e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  /** One benchmark run over one generated data set. */
  static final class Run {
    private final BenchOptions options;
    private final Path dir;
    private final ChildJvm jvm;

    Run(BenchOptions options) {
      this.options = options;
      this.dir = options.dir().toAbsolutePath();
      Path home = Path.of(System.getProperty("bench.home", ".")).toAbsolutePath();
      this.jvm = new ChildJvm(home, System.getProperty("java.class.path"), dir.resolve("logs"));
    }

    int run() throws Exception {
      generate(options, dir, jvm);
      if (options.directPrepare()) {
        say("writing synclog's tables as run-1 leaves them (not timed)");
        check(
            spark(
                "prepare-direct",
                DirectPrepare.class,
                List.of(dir.toString(), Double.toString(options.changeRate()))));
      } else {
        say("recording the initial model with synclog (run-0, every row added, not timed)");
        check(
            synclog(
                "synclog-prepare-0",
                "run-0",
                BenchData.INITIAL_MODEL,
                BenchData.INITIAL_STATUSES,
                List.of()));
        say("recording the previous model with synclog (run-1, a usual run, not timed)");
        check(
            synclog(
                "synclog-prepare",
                "run-1",
                BenchData.PREVIOUS_MODEL,
                BenchData.PREVIOUS_STATUSES,
                List.of()));
      }

      Map<String, ChildJvm.Result> timed = new LinkedHashMap<>();
      say("timing synclog record (run-2)");
      List<String> extra = new ArrayList<>();
      if (options.profile()) {
        extra.add(
            "-XX:StartFlightRecording=filename="
                + dir.resolve("synclog.jfr")
                + ",settings=profile");
      }
      // As jobs/lib/launch takes them: appended last, so they override the settings above.
      String javaOpts = System.getenv().getOrDefault("SYNCLOG_JAVA_OPTS", "").trim();
      if (!javaOpts.isEmpty()) {
        extra.addAll(List.of(javaOpts.split("\\s+")));
        say("timed synclog run with SYNCLOG_JAVA_OPTS: " + javaOpts);
      }
      timed.put(
          SYNCLOG, check(synclog(SYNCLOG, "run-2", BenchData.MODEL, BenchData.STATUSES, extra)));
      if (!options.synclogOnly()) {
        say("timing the naive Spark diff");
        timed.put(NAIVE, check(spark(NAIVE, NaiveSparkDiff.class, List.of(dir.toString()))));
        say("timing DuckDB");
        timed.put(
            DUCKDB,
            check(
                jvm.run(
                    DUCKDB,
                    List.of(DUCKDB_HEAP),
                    DuckDbDiff.class.getName(),
                    List.of(dir.toString()))));
        say("timing the floor (read and hash both inputs)");
        timed.put(FLOOR, check(spark(FLOOR, FloorScan.class, List.of(dir.toString()))));
      }

      say("checking the changelogs agree");
      ChildJvm.Result checked =
          check(
              spark(
                  "check",
                  ChangelogCheck.class,
                  List.of(
                      dir.toString(),
                      dir.resolve("warehouse").toString(),
                      "run-2",
                      options.synclogOnly() ? SYNCLOG : "all")));
      Agreement agreement = Agreement.of(checked.output(), expected(), timed.keySet());

      System.out.println();
      System.out.println("synclog record summary (run-2):");
      System.out.print(indent(summary(timed.get(SYNCLOG).output())));
      System.out.println();
      System.out.print(agreement.describe());
      System.out.println();
      System.out.print(Report.table(options, timed));
      System.out.println(
          options.synclogOnly()
              ? Report.synclogOnly(options.small() ? "SMALL" : "SYNCLOG", options.rows(), timed)
              : Report.result(options.rows(), timed));
      return agreement.ok() ? 0 : 1;
    }

    private ChildJvm.Result spark(String name, Class<?> main, List<String> args)
        throws IOException, InterruptedException {
      return BenchMain.spark(jvm, name, main, args);
    }

    private ChildJvm.Result synclog(
        String name, String runId, String model, String statuses, List<String> extraJvm)
        throws IOException, InterruptedException {
      List<String> opts = new ArrayList<>();
      opts.add(SPARK_HEAP);
      opts.addAll(ChildJvm.SPARK_LOCAL);
      opts.addAll(extraJvm);
      return jvm.run(
          name,
          opts,
          "io.synclog.SyncLogMain",
          List.of(
              "record",
              "--sync.id=bench",
              "--sync.destination=bench",
              "--model.id=bench-customers",
              "--model.primary-key=id",
              "--model.path=" + dir.resolve(model),
              "--statuses.path=" + dir.resolve(statuses),
              "--target.location=" + dir.resolve("warehouse"),
              "--run.id=" + runId));
    }

    private Properties expected() throws IOException {
      Properties p = new Properties();
      try (var in = Files.newBufferedReader(dir.resolve(BenchData.EXPECTED))) {
        p.load(in);
      }
      return p;
    }

    static ChildJvm.Result check(ChildJvm.Result r) throws IOException {
      if (r.exitCode() != 0) {
        String tail = tail(Files.readString(r.stderr()), 40);
        throw new IllegalStateException(
            "bench: step '"
                + r.name()
                + "' failed with exit code "
                + r.exitCode()
                + " (full log: "
                + r.stderr()
                + "):\n"
                + tail
                + Files.readString(r.stdout()));
      }
      say("  %s: %.1f s, peak %.0f MB", r.name(), r.seconds(), r.peakMb());
      return r;
    }
  }

  /** Empties {@code dir} (when it is the benchmark's own) and generates the inputs in it. */
  static void generate(BenchOptions options, Path dir, ChildJvm jvm) throws Exception {
    deleteTree(dir);
    Files.createDirectories(dir);
    Files.createFile(dir.resolve(MARKER));
    say(
        "generating %,d rows (change rate %s, fail rate %s) under %s",
        options.rows(), options.changeRate(), options.failRate(), dir);
    Run.check(
        spark(
            jvm,
            "generate",
            BenchData.class,
            List.of(
                dir.toString(),
                Long.toString(options.rows()),
                Double.toString(options.changeRate()),
                Double.toString(options.failRate()))));
  }

  /** A Spark child JVM with the benchmark's heap and local settings. */
  static ChildJvm.Result spark(ChildJvm jvm, String name, Class<?> main, List<String> args)
      throws IOException, InterruptedException {
    List<String> opts = new ArrayList<>(ChildJvm.SPARK_LOCAL);
    opts.add(0, SPARK_HEAP);
    return jvm.run(name, opts, main.getName(), args);
  }

  static void say(String format, Object... args) {
    System.out.printf("bench: " + format + "%n", args);
    System.out.flush();
  }

  private static String tail(String text, int lines) {
    String[] all = text.split("\n");
    StringBuilder sb = new StringBuilder();
    for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
      sb.append(all[i]).append('\n');
    }
    return sb.toString();
  }

  /**
   * synclog's own summary, without what the JVM printed before it (a flight recording's notice).
   */
  private static String summary(String output) {
    int start = output.indexOf("synclog: ");
    return start < 0 ? output : output.substring(start);
  }

  private static String indent(String text) {
    return text.lines().map(l -> "  " + l + "\n").reduce("", String::concat);
  }

  /** Marks a folder as the benchmark's own, so a rerun may empty it. */
  static final String MARKER = ".synclog-bench";

  /**
   * Empties the benchmark folder of an earlier run. A folder that holds other files is never
   * touched: a mistyped --dir must not delete anything.
   */
  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    boolean empty;
    try (Stream<Path> children = Files.list(root)) {
      empty = children.findAny().isEmpty();
    }
    if (!empty && !Files.exists(root.resolve(MARKER))) {
      throw new IllegalStateException(
          "bench: cannot use "
              + root
              + ": it holds files the benchmark did not write. Pass --dir with a new or empty"
              + " folder.");
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
