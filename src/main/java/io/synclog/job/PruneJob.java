package io.synclog.job;

import io.synclog.error.Errors;
import io.synclog.sink.LogSink;
import io.synclog.sink.PruneResult;
import io.synclog.sink.PruneScope;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code prune --older-than 90d}: deletes the history of one sync (its {@code sync.id}), or of
 * every sync in the schema with {@code --all-syncs}, older than the cutoff: the runs rows of runs
 * started before it and the changelog rows of those runs, dated before the cutoff's UTC date. Each
 * pruned sync's latest run is kept whole, its runs row with its changelog rows. Later runs are
 * unaffected: they diff against the snapshot, which prune never touches.
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

  /** The cutoff {@code olderThan} before {@code now}, to the second, so that it prints exactly. */
  public static Instant cutoff(Instant now, Duration olderThan) {
    return now.truncatedTo(ChronoUnit.SECONDS).minus(olderThan);
  }

  public static PruneResult run(LogSink sink, Instant cutoff, PruneScope scope) {
    sink.prepare();
    return sink.prune(cutoff, scope);
  }

  /** The command's output: the scope, the cutoff, and the rows deleted from each table. */
  public static String render(
      LogSink sink, PruneScope scope, Instant cutoff, String olderThan, PruneResult deleted) {
    String changelog = sink.tableName("changelog");
    String runs = sink.tableName("runs");
    int width = Math.max(changelog.length(), runs.length()) + 1;
    return String.format(
        "synclog: pruned %s in %s: runs started before %s (older than %s)%n"
            + "  %-"
            + width
            + "s %d row(s) deleted%n"
            + "  %-"
            + width
            + "s %d row(s) deleted%n"
            + "  kept: %s latest run with its changelog rows, however old; the snapshot%n",
        scope,
        sink.describe(),
        cutoff,
        olderThan,
        changelog + ":",
        deleted.changelogRows(),
        runs + ":",
        deleted.runRows(),
        scope.sync().isPresent() ? "the sync's" : "each sync's");
  }
}
