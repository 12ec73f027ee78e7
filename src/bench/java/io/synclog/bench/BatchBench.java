package io.synclog.bench;

import static io.synclog.bench.BenchMain.say;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * {@code jobs/bench --batch SYNCS}: one run of each of SYNCS syncs over the generated model,
 * recorded by one {@code record --batch} application against one {@code record} command per sync,
 * each in its own JVM as a scheduler would start them. Both start from the same tables (run-0 and
 * run-1 of every sync, recorded by batches, untimed, then copied), both record run-2, and each
 * sync's changelog must be the same in both and match the generated plan. Ends with a {@code BATCH}
 * line.
 */
final class BatchBench {
  private static final String RUN = "run-2";

  private final BenchOptions options;
  private final Path dir;
  private final ChildJvm jvm;
  private final List<String> syncs = new ArrayList<>();

  BatchBench(BenchOptions options) {
    this.options = options;
    this.dir = options.dir().toAbsolutePath();
    Path home = Path.of(System.getProperty("bench.home", ".")).toAbsolutePath();
    this.jvm = new ChildJvm(home, System.getProperty("java.class.path"), dir.resolve("logs"));
    for (int i = 1; i <= options.batch(); i++) {
      syncs.add(String.format(Locale.ROOT, "bench-%02d", i));
    }
  }

  int run() throws Exception {
    BenchMain.generate(options, dir, jvm);
    Path batchWarehouse = dir.resolve("warehouse-batch");
    Path separateWarehouse = dir.resolve("warehouse-separate");

    say("recording run-0 and run-1 of %d syncs with two batches (not timed)", syncs.size());
    BenchMain.Run.check(
        batch(
            "prepare-0",
            "run-0",
            BenchData.INITIAL_MODEL,
            BenchData.INITIAL_STATUSES,
            batchWarehouse));
    BenchMain.Run.check(
        batch(
            "prepare-1",
            "run-1",
            BenchData.PREVIOUS_MODEL,
            BenchData.PREVIOUS_STATUSES,
            batchWarehouse));
    copy(batchWarehouse, separateWarehouse);

    say(
        "timing %d runs in one application (record --batch%s)",
        syncs.size(), options.parallel() > 1 ? " --parallel " + options.parallel() : "");
    ChildJvm.Result batch =
        BenchMain.Run.check(
            batch("batch", RUN, BenchData.MODEL, BenchData.STATUSES, batchWarehouse));

    say("timing %d runs, one record command (and JVM) each", syncs.size());
    double separateSeconds = 0;
    double separatePeakMb = 0;
    for (String sync : syncs) {
      ChildJvm.Result r =
          BenchMain.Run.check(
              jvm.run(
                  "separate-" + sync,
                  synclogJvm(),
                  "io.synclog.SyncLogMain",
                  recordArgs(sync, separateWarehouse)));
      separateSeconds += r.seconds();
      separatePeakMb = Math.max(separatePeakMb, r.peakMb());
    }

    say("checking every sync's changelog is the same both ways and matches the plan");
    List<String> checkArgs =
        new ArrayList<>(List.of(batchWarehouse.toString(), separateWarehouse.toString(), RUN));
    checkArgs.addAll(syncs);
    ChildJvm.Result checked =
        BenchMain.Run.check(BenchMain.spark(jvm, "check", BatchCheck.class, checkArgs));
    List<String> problems = agreement(Files.readString(checked.stdout()));

    double speedup = separateSeconds / batch.seconds();
    System.out.println();
    System.out.printf(
        "%d syncs of %,d model rows, change rate %s, fail rate %s, one run each; batch"
            + " --parallel %d%n",
        syncs.size(), options.rows(), options.changeRate(), options.failRate(), options.parallel());
    System.out.printf("%-28s %9s %14s %9s%n", "", "seconds", "seconds/sync", "peak MB");
    System.out.printf(
        "%-28s %9.1f %14.2f %,9.0f%n",
        "one application (--batch)",
        batch.seconds(),
        batch.seconds() / syncs.size(),
        batch.peakMb());
    System.out.printf(
        "%-28s %9.1f %14.2f %,9.0f%n",
        "one JVM per sync (summed)",
        separateSeconds,
        separateSeconds / syncs.size(),
        separatePeakMb);
    if (problems.isEmpty()) {
      System.out.printf("changelogs: the same both ways for every sync, and as planned%n");
    } else {
      problems.forEach(p -> System.out.println("MISMATCH: " + p));
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "BATCH syncs=%d rows=%d batch_s=%.2f separate_s=%.2f speedup=%.2f",
            syncs.size(),
            options.rows(),
            batch.seconds(),
            separateSeconds,
            speedup));
    return problems.isEmpty() ? 0 : 1;
  }

  private List<String> agreement(String output) throws IOException {
    Map<String, Agreement.Summary> summaries = Agreement.parse(output);
    Properties expected = new Properties();
    try (var in = Files.newBufferedReader(dir.resolve(BenchData.EXPECTED))) {
      expected.load(in);
    }
    List<String> problems = new ArrayList<>();
    for (String sync : syncs) {
      Agreement.Summary batched = summaries.get("batch/" + sync);
      Agreement.Summary separate = summaries.get("separate/" + sync);
      if (batched == null || separate == null) {
        problems.add("the check did not report " + sync + " in both warehouses");
        continue;
      }
      if (!batched.equals(separate)) {
        problems.add(sync + ": the batch wrote a different changelog from its own record");
      }
      problems.addAll(Agreement.againstPlan(sync, batched, expected));
    }
    return problems;
  }

  /** One {@code record --batch} child over every sync's run, with its manifest. */
  private ChildJvm.Result batch(
      String name, String runId, String model, String statuses, Path warehouse)
      throws IOException, InterruptedException {
    Path manifest = dir.resolve(name + ".manifest");
    List<String> lines = new ArrayList<>();
    for (String sync : syncs) {
      lines.add(
          String.format(
              "sync.id=%s run.id=%s model.path=\"%s\" statuses.path=\"%s\"",
              sync, runId, dir.resolve(model), dir.resolve(statuses)));
    }
    Files.write(manifest, lines);
    List<String> args = new ArrayList<>(List.of("record", "--batch", manifest.toString()));
    if (options.parallel() > 1) {
      args.add("--parallel=" + options.parallel());
    }
    args.addAll(shared(warehouse));
    return jvm.run(name, synclogJvm(), "io.synclog.SyncLogMain", args);
  }

  private List<String> recordArgs(String sync, Path warehouse) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "record",
                "--sync.id=" + sync,
                "--run.id=" + RUN,
                "--model.path=" + dir.resolve(BenchData.MODEL),
                "--statuses.path=" + dir.resolve(BenchData.STATUSES)));
    args.addAll(shared(warehouse));
    return args;
  }

  private static List<String> shared(Path warehouse) {
    return List.of(
        "--sync.destination=bench",
        "--model.id=bench-customers",
        "--model.primary-key=id",
        "--target.location=" + warehouse);
  }

  private static List<String> synclogJvm() {
    List<String> opts = new ArrayList<>();
    opts.add(BenchMain.SPARK_HEAP);
    opts.addAll(ChildJvm.SPARK_LOCAL);
    return opts;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
