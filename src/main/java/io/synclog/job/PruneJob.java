package io.synclog.job;

import io.synclog.error.Errors;
import io.synclog.sink.LogSink;
import io.synclog.sink.PruneResult;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code prune --older-than 90d}: deletes changelog rows of runs that started before the cutoff
 * date (whole partitions) and runs rows older than the cutoff, keeping each sync's latest run.
 * Later runs are unaffected: they diff against the snapshot, which prune never touches.
 */
public final class PruneJob {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([wdhm])");

  private PruneJob() {}

  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim().toLowerCase());
    if (!m.matches()) {
      throw Errors.badDuration(text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "w" -> Duration.ofDays(7 * n);
      case "d" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofMinutes(n);
    };
  }

  public static PruneResult run(LogSink sink, Duration olderThan, Instant now) {
    sink.prepare();
    return sink.prune(now.minus(olderThan));
  }
}
