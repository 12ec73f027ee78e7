package io.synclog.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One synclog command in a JVM of its own, started as {@code java ... io.synclog.SyncLogMain} with
 * this JVM's classpath, whose progress lines are timed as they arrive and which can be killed with
 * SIGKILL at a chosen moment.
 */
final class ChildCommand {
  /** A finished stage's progress line: {@code synclog: <label>: <stage> 1.2 s}. */
  private static final Pattern FINISHED = Pattern.compile("^synclog: .*: (.+) [0-9.]+ s$");

  /** A stage the command finished, and when, in milliseconds after the JVM was started. */
  record Stage(String name, long endedMs) {}

  private final Process process;
  private final long startedNanos;
  private final List<Stage> stages = new ArrayList<>();
  private final StringBuilder output = new StringBuilder();
  private final Thread reader;

  private ChildCommand(Process process, long startedNanos) {
    this.process = process;
    this.startedNanos = startedNanos;
    this.reader = new Thread(this::read, "child-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code SyncLogMain} with {@code args}; secrets go in the environment as a deployment
   * would pass them, Spark's log goes to {@code log}.
   */
  static ChildCommand start(List<String> args, Map<String, String> env, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + Path.of("jobs", "lib", "jvm17.args").toAbsolutePath());
    command.add("-Xmx1g");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(classpath());
    command.add("io.synclog.SyncLogMain");
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("TZ", "UTC");
    builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      Files.createDirectories(log.getParent());
      long started = System.nanoTime();
      return new ChildCommand(builder.start(), started);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The test classpath: Surefire names it apart when it starts tests from a manifest jar. */
  private static String classpath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        long now = elapsedMs();
        synchronized (this) {
          output.append(line).append('\n');
          Matcher m = FINISHED.matcher(line);
          if (m.matches()) {
            stages.add(new Stage(m.group(1), now));
          }
          notifyAll();
        }
      }
    } catch (IOException e) {
      // the process was killed while writing: what was read is kept
    }
  }

  long elapsedMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  synchronized List<Stage> stages() {
    return List.copyOf(stages);
  }

  synchronized String output() {
    return output.toString();
  }

  /**
   * Waits until the command has finished {@code stage}, or ended; returns when that happened, in
   * milliseconds after start, or -1 if the command ended first.
   */
  synchronized long awaitStage(String stage, long timeoutMs) throws InterruptedException {
    long deadline = elapsedMs() + timeoutMs;
    while (true) {
      for (Stage s : stages) {
        if (s.name().equals(stage)) {
          return s.endedMs();
        }
      }
      if (!process.isAlive() || elapsedMs() > deadline) {
        return -1;
      }
      wait(50);
    }
  }

  /**
   * Sleeps until {@code atMs} after start and kills the JVM with SIGKILL; true when it was still
   * running at that moment, false when it had already ended by itself.
   */
  boolean killAt(long atMs) throws InterruptedException {
    long wait = atMs - elapsedMs();
    if (wait > 0 && process.waitFor(wait, TimeUnit.MILLISECONDS)) {
      return false;
    }
    if (!process.isAlive()) {
      return false;
    }
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
    reader.join(10_000);
    return true;
  }

  /** Waits for the command to end by itself and returns its exit code. */
  int await(long timeoutMs) throws InterruptedException {
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the child command did not end within " + timeoutMs + " ms");
    }
    reader.join(10_000);
    return process.exitValue();
  }

  /** The stage running at {@code ms}: the one after the last finished, in {@code order}. */
  String stageAt(long ms, List<String> order) {
    String last = null;
    for (Stage s : stages()) {
      if (s.endedMs() <= ms) {
        last = s.name();
      }
    }
    if (last == null) {
      return "start-up or " + (order.isEmpty() ? "first stage" : order.get(0));
    }
    int i = order.indexOf(last);
    return i >= 0 && i + 1 < order.size() ? order.get(i + 1) : "after " + last;
  }
}
