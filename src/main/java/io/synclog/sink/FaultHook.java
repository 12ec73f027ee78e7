package io.synclog.sink;

import io.synclog.config.ConfigKeys;
import io.synclog.config.SyncConfig;
import io.synclog.error.Errors;

/**
 * Called by sinks at every write boundary, so tests can kill a run there and check that a rerun
 * repairs it. In production it does nothing.
 */
@FunctionalInterface
public interface FaultHook {
  void at(String boundary);

  FaultHook NONE = boundary -> {};

  /** The hook a run's settings ask for: {@code fault.inject-at}, else none. */
  static FaultHook configured(SyncConfig config) {
    return config.optional(ConfigKeys.FAULT_INJECT_AT).map(FaultHook::failAt).orElse(NONE);
  }

  /** A hook that fails at one named boundary. */
  static FaultHook failAt(String target) {
    return boundary -> {
      if (boundary.equals(target)) {
        throw Errors.injectedFault(boundary);
      }
    };
  }
}
