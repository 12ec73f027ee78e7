package io.synclog.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the sink tests of one JVM share: a working folder, fresh namespace names, and, per sink
 * kind, the namespace where the golden {@link Scenario} was recorded without interruption (it is
 * recorded once, on first use, because whole runs are the slow part of these tests).
 */
public final class References {
  private static final Path DIR = createDir();
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Map<String, String> RECORDED = new HashMap<>();

  private References() {}

  private static Path createDir() {
    try {
      return Files.createTempDirectory("synclog-sink-tests");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path dir() {
    return DIR;
  }

  /** A namespace no other test uses: a valid SQL identifier and folder name. */
  public static String namespace(String hint) {
    return hint + "_" + COUNTER.incrementAndGet();
  }

  /** The namespace holding the uninterrupted golden scenario, recording it if needed. */
  public static synchronized String scenario(SinkTarget target) {
    return RECORDED.computeIfAbsent(
        target.kind(),
        kind -> {
          String ns = namespace("golden");
          SinkHarness h = new SinkHarness(DIR, target, ns, "s1");
          for (Scenario.Step step : Scenario.STEPS) {
            h.run(step, FaultHook.NONE);
          }
          return ns;
        });
  }
}
