package io.synclog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one step of the benchmark in a JVM of its own, so each variant pays its own start-up, and
 * measures its wall time and peak resident memory: with {@code /usr/bin/time -v} when the machine
 * has it, else by polling the child's {@code VmHWM} in {@code /proc}.
 */
final class ChildJvm {
  private static final Path GNU_TIME = Path.of("/usr/bin/time");
  private static final Pattern MAX_RSS =
      Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
  private static final Pattern VM_HWM = Pattern.compile("VmHWM:\\s+(\\d+) kB");

  /** How one child ran: its exit code, wall seconds, peak RSS, and where its output went. */
  record Result(String name, int exitCode, double seconds, long peakKb, Path stdout, Path stderr) {
    double peakMb() {
      return peakKb / 1024.0;
    }

    String output() throws IOException {
      return Files.readString(stdout);
    }
  }

  private final Path home;
  private final String classpath;
  private final Path logs;

  /**
   * @param home the repository root (jobs/lib/jvm17.args and the log4j settings are read from it)
   * @param classpath the classpath of every child
   * @param logs the folder each child's stdout and stderr are written to
   */
  ChildJvm(Path home, String classpath, Path logs) {
    this.home = home;
    this.classpath = classpath;
    this.logs = logs;
  }

  /** Spark settings for one machine, the same as jobs/lib/launch gives synclog. */
  static final List<String> SPARK_LOCAL =
      List.of(
          "-Dspark.ui.enabled=false",
          "-Dspark.sql.shuffle.partitions=4",
          "-Dspark.default.parallelism=4",
          "-Dspark.sql.session.timeZone=UTC",
          "-Dspark.databricks.delta.snapshotPartitions=2");

  /** Runs {@code mainClass} with the given JVM options and arguments and waits for it. */
  Result run(String name, List<String> jvmOptions, String mainClass, List<String> args)
      throws IOException, InterruptedException {
    Files.createDirectories(logs);
    Path stdout = logs.resolve(name + ".out");
    Path stderr = logs.resolve(name + ".err");
    Path timeReport = logs.resolve(name + ".time");
    boolean gnuTime = Files.isExecutable(GNU_TIME);

    List<String> command = new ArrayList<>();
    if (gnuTime) {
      command.addAll(List.of(GNU_TIME.toString(), "-v", "-o", timeReport.toString()));
    }
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("@" + home.resolve("jobs/lib/jvm17.args"));
    command.add("-XX:+UseParallelGC");
    command.add("-Dlog4j2.configurationFile=" + home.resolve("jobs/lib/log4j2.properties"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath, mainClass));
    command.addAll(args);

    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    Map<String, String> env = builder.environment();
    env.putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");

    long start = System.nanoTime();
    Process process = builder.start();
    long polledKb = 0;
    while (!process.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      if (!gnuTime) {
        polledKb = Math.max(polledKb, highWaterMark(process.pid()));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long peakKb = gnuTime ? fromTimeReport(timeReport) : polledKb;
    return new Result(name, process.exitValue(), seconds, peakKb, stdout, stderr);
  }

  private static long fromTimeReport(Path report) throws IOException {
    Matcher m = MAX_RSS.matcher(Files.readString(report));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static long highWaterMark(long pid) {
    try {
      Matcher m = VM_HWM.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    } catch (IOException e) {
      return 0; // the process just ended
    }
  }
}
