package io.synclog.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.synclog.sink.DeltaTarget;
import io.synclog.sink.SinkTarget;
import io.synclog.sink.postgres.PostgresTarget;
import io.synclog.testing.SparkExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real process death: {@code record} and {@code plan} killed with SIGKILL in a JVM of their own,
 * then rerun with no {@code unlock}, must end with exactly the tables of an uninterrupted run, on
 * Delta by path and on PostgreSQL.
 *
 * <p>In the suite, a few kills aimed inside the commit and the claim. With {@code -Dkill.trials=N}
 * (see {@code jobs/kill-trials}), N kills per target at random moments over the whole command, from
 * {@code -Dkill.seed} (printed either way).
 */
@ExtendWith(SparkExtension.class)
class KillTest {
  private static final Path OUT = Path.of("target", "kill-trials");

  @Test
  void deltaByPath() throws Exception {
    check(DeltaTarget.INSTANCE);
  }

  @Test
  void postgres() throws Exception {
    check(PostgresTarget.INSTANCE);
  }

  private static void check(SinkTarget target) throws Exception {
    KillTrials trials = new KillTrials(target, OUT.resolve("logs"));
    int count = Integer.getInteger("kill.trials", 0);
    List<KillTrials.Trial> done = new ArrayList<>();
    String header;
    if (count > 0) {
      long seed = Long.getLong("kill.seed", System.nanoTime());
      header = target.kind() + ": " + count + " kills at random moments, seed " + seed;
      System.out.println(header);
      Random random = new Random(seed);
      for (int i = 1; i <= count; i++) {
        String command = random.nextInt(4) == 0 ? KillTrials.PLAN : KillTrials.RECORD;
        KillTrials.Trial t = trials.killAt(i, command, random.nextDouble());
        System.out.println(t.line());
        done.add(t);
      }
    } else {
      header = target.kind() + ": kills aimed inside the claim and the commit";
      System.out.println(header);
      done.add(trials.killDuring(1, KillTrials.RECORD, "write tables", 400));
      System.out.println(done.get(0).line());
      if (target == DeltaTarget.INSTANCE) {
        done.add(trials.killDuring(2, KillTrials.RECORD, "claim sync", 150));
        System.out.println(done.get(1).line());
      }
    }
    report(target, header, trials, done);

    assertThat(done)
        .as("trials whose rerun failed or whose tables differ from an uninterrupted run")
        .filteredOn(t -> !t.clean())
        .isEmpty();
    assertThat(done)
        .as("trials where the kill landed while the command was running")
        .anyMatch(KillTrials.Trial::killed);
  }

  private static void report(
      SinkTarget target, String header, KillTrials trials, List<KillTrials.Trial> done) {
    StringBuilder out = new StringBuilder(header).append('\n');
    trials
        .timelines()
        .forEach(
            (command, t) ->
                out.append(
                    String.format(
                        "uninterrupted %s: %d ms; stages end at %s%n",
                        command,
                        t.totalMs(),
                        t.stages().stream()
                            .map(st -> st.name() + " " + st.endedMs())
                            .collect(Collectors.joining(", ")))));
    done.forEach(t -> out.append(t.line()).append('\n'));
    long killed = done.stream().filter(KillTrials.Trial::killed).count();
    long clean = done.stream().filter(KillTrials.Trial::clean).count();
    out.append(
        String.format(
            "KILLS target=%s trials=%d killed_running=%d clean=%d mismatched=%d duplicates=%d"
                + " orphans=%d locks_held=%d%n",
            target.kind(),
            done.size(),
            killed,
            clean,
            done.stream().mapToInt(KillTrials.Trial::mismatches).sum(),
            done.stream().mapToInt(KillTrials.Trial::duplicates).sum(),
            done.stream().mapToInt(KillTrials.Trial::snapshotWithoutChangelog).sum(),
            done.stream().filter(KillTrials.Trial::lockHeld).count()));
    System.out.print(out.substring(out.indexOf("KILLS ")));
    try {
      Files.createDirectories(OUT);
      Files.writeString(OUT.resolve(target.kind() + ".txt"), out);
    } catch (IOException e) {
      System.out.println("could not write " + OUT + ": " + e);
    }
  }
}
