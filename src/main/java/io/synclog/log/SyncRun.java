package io.synclog.log;

import java.util.Objects;

/**
 * One run of one sync: the pair every table row, lock and message of a run is keyed by.
 *
 * @param syncId the sync
 * @param runId the run of the sync
 */
public record SyncRun(String syncId, String runId) {
  public SyncRun {
    Objects.requireNonNull(syncId, "a sync run needs a sync id");
    Objects.requireNonNull(runId, "a sync run needs a run id");
  }

  /** {@code sync 'x' run 'y'}. */
  @Override
  public String toString() {
    return "sync '" + syncId + "' run '" + runId + "'";
  }
}
