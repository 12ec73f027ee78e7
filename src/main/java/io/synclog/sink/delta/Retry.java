package io.synclog.sink.delta;

import java.util.ConcurrentModificationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an idempotent table write that lost an optimistic-concurrency race with another sync
 * writing the same table. Only for steps that are safe to repeat.
 */
final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
  static final int ATTEMPTS = 12;

  private Retry() {}

  static <T> T onConflict(String what, Supplier<T> step) {
    for (int attempt = 1; ; attempt++) {
      try {
        return step.get();
      } catch (ConcurrentModificationException e) {
        if (attempt >= ATTEMPTS) {
          throw e;
        }
        long sleep = ThreadLocalRandom.current().nextLong(50, 200L * attempt);
        LOG.info(
            "{}: concurrent write by another sync ({}); retrying in {} ms",
            what,
            e.getClass().getSimpleName(),
            sleep);
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  static void onConflict(String what, Runnable step) {
    onConflict(
        what,
        () -> {
          step.run();
          return null;
        });
  }
}
