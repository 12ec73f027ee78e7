package io.synclog.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress lines, on a terminal and in a log. */
class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void twoStages(Progress progress) {
    StageClock clock = new StageClock((StageClock.Labels) null, "sync 's' run 'r'");
    clock.reportingTo(progress);
    clock.time("claim sync", () -> {});
    clock.time("diff", () -> {});
    progress.end();
  }

  @Test
  void inALogEachFinishedStageIsOnePlainLine() {
    twoStages(Progress.console(out, false));
    String[] lines = printed().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).matches("synclog: sync 's' run 'r': claim sync \\d+\\.\\d s");
    assertThat(lines[1]).matches("synclog: sync 's' run 'r': diff \\d+\\.\\d s");
    assertThat(printed()).doesNotContain("\r").doesNotContain("\033");
  }

  @Test
  void onATerminalOneLineOverwritesItselfAndEndsOnce() {
    twoStages(Progress.console(out, true));
    String text = printed();
    assertThat(text).startsWith("\rsynclog: sync 's' run 'r': claim sync ...\033[K");
    assertThat(text).contains("\rsynclog: sync 's' run 'r': diff ...\033[K");
    assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    assertThat(text).endsWith("\033[K\n");
  }

  @Test
  void nonePrintsNothing() {
    twoStages(Progress.NONE);
    assertThat(printed()).isEmpty();
  }

  @Test
  void verboseIsAFlagWithoutAValue() {
    CommandLine cli = CommandLine.parse(new String[] {"record", "--verbose", "--run.id", "r1"});
    assertThat(cli.verbose()).isTrue();
    assertThat(cli.overrides()).containsExactlyEntriesOf(java.util.Map.of("run.id", "r1"));
    assertThat(CommandLine.parse(new String[] {"record", "--run.id=r1"}).verbose()).isFalse();
  }
}
