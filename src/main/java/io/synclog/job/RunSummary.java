package io.synclog.job;

import io.synclog.log.RunCounts;
import java.util.List;
import java.util.Map;

/**
 * What a command did, for people: the outcome, the per-operation counts, the top failure reasons
 * and the time each stage took.
 */
public record RunSummary(
    String syncId,
    String runId,
    String outcome,
    RunCounts counts,
    long rejectedRows,
    long toleratedStatusProblems,
    List<Map.Entry<String, Long>> topFailureReasons,
    List<StageClock.Stage> stages,
    double seconds) {

  public static final String RECORDED = "recorded";
  public static final String ALREADY_RECORDED = "already recorded: nothing changed";
  public static final String PLANNED = "planned";
  public static final String ALREADY_PLANNED = "already planned: the stored plan is kept";

  /** A plan's summary: rows nothing was sent for yet, so only how many to send per operation. */
  private boolean isPlan() {
    return PLANNED.equals(outcome) || ALREADY_PLANNED.equals(outcome);
  }

  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "synclog: sync '%s' run '%s' %s (%.1f s)%n", syncId, runId, outcome, seconds));
    if (counts != null && isPlan()) {
      sb.append(String.format("  %-9s %10s%n", "op", "to send"));
      for (String op : RunCounts.OPS) {
        sb.append(String.format("  %-9s %10d%n", op, counts.of(op).planned()));
      }
    } else if (counts != null) {
      sb.append(
          String.format(
              "  %-9s %10s %10s %10s %10s %10s%n",
              "op", "planned", "attempted", "succeeded", "failed", "aborted"));
      for (String op : RunCounts.OPS) {
        RunCounts.Counts c = counts.of(op);
        sb.append(
            String.format(
                "  %-9s %10d %10d %10d %10d %10d%n",
                op, c.planned(), c.attempted(), c.succeeded(), c.failed(), c.aborted()));
      }
    }
    if (rejectedRows > 0) {
      sb.append(
          String.format(
              "  %d row(s) not synced: null or duplicated primary key (logged as failed)%n",
              rejectedRows));
    }
    if (toleratedStatusProblems > 0) {
      sb.append(
          String.format(
              "  %d status problem(s) tolerated (statuses.on-invalid=tolerate)%n",
              toleratedStatusProblems));
    }
    if (topFailureReasons != null && !topFailureReasons.isEmpty()) {
      sb.append("  top failure reasons:\n");
      for (Map.Entry<String, Long> e : topFailureReasons) {
        sb.append(String.format("    %8d  %s%n", e.getValue(), e.getKey()));
      }
    }
    if (stages != null && !stages.isEmpty()) {
      sb.append("  stages:");
      for (StageClock.Stage s : stages) {
        sb.append(String.format(" %s %.1f s;", s.name(), s.seconds()));
      }
      sb.setLength(sb.length() - 1);
      sb.append('\n');
    }
    return sb.toString();
  }
}
