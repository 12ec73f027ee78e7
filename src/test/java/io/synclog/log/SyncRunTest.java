package io.synclog.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The sync and run pair: both ids required, equal by value. */
class SyncRunTest {

  @Test
  void rejectsAMissingSyncOrRunId() {
    assertThatThrownBy(() -> new SyncRun(null, "r1"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("a sync run needs a sync id");
    assertThatThrownBy(() -> new SyncRun("s1", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("a sync run needs a run id");
  }

  @Test
  void isEqualByItsTwoIds() {
    assertThat(new SyncRun("s1", "r1"))
        .isEqualTo(new SyncRun("s1", "r1"))
        .hasSameHashCodeAs(new SyncRun("s1", "r1"))
        .isNotEqualTo(new SyncRun("s1", "r2"))
        .isNotEqualTo(new SyncRun("s2", "r1"))
        .isNotEqualTo(new SyncRun("r1", "s1"));
  }

  @Test
  void readsAsTheSyncAndTheRun() {
    SyncRun run = new SyncRun("s1", "r1");
    assertThat(run.syncId()).isEqualTo("s1");
    assertThat(run.runId()).isEqualTo("r1");
    assertThat(run).hasToString("sync 's1' run 'r1'");
  }
}
