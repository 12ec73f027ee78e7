package io.synclog.log;

import static io.synclog.plan.Columns.ABORTED;
import static io.synclog.plan.Columns.ADDED;
import static io.synclog.plan.Columns.CHANGED;
import static io.synclog.plan.Columns.FAILED;
import static io.synclog.plan.Columns.REMOVED;
import static io.synclog.plan.Columns.SUCCEEDED;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-operation counts of one run: planned, attempted, succeeded, failed and aborted. Built from
 * (op_type, status, count) triples so it is computed in one aggregation and tested without Spark.
 * By construction {@code planned = attempted + aborted} and {@code attempted = succeeded + failed}.
 */
public record RunCounts(Map<String, Counts> byOp) {

  public static final List<String> OPS = List.of(ADDED, CHANGED, REMOVED);

  /** The counts of one operation type. */
  public record Counts(long succeeded, long failed, long aborted) {
    public long attempted() {
      return succeeded + failed;
    }

    public long planned() {
      return attempted() + aborted;
    }
  }

  /** One (op_type, status, rows) result of the run's aggregation. */
  public record Cell(String opType, String status, long rows) {}

  public static RunCounts of(List<Cell> cells) {
    Map<String, long[]> acc = new LinkedHashMap<>();
    OPS.forEach(op -> acc.put(op, new long[3]));
    for (Cell cell : cells) {
      long[] c = acc.get(cell.opType());
      if (c == null) {
        throw new IllegalStateException("unexpected op_type " + cell.opType());
      }
      switch (cell.status()) {
        case SUCCEEDED -> c[0] += cell.rows();
        case FAILED -> c[1] += cell.rows();
        case ABORTED -> c[2] += cell.rows();
        default -> throw new IllegalStateException("unexpected status " + cell.status());
      }
    }
    Map<String, Counts> out = new LinkedHashMap<>();
    acc.forEach((op, c) -> out.put(op, new Counts(c[0], c[1], c[2])));
    return new RunCounts(Map.copyOf(out));
  }

  public Counts of(String op) {
    return byOp.get(op);
  }

  public long totalPlanned() {
    return byOp.values().stream().mapToLong(Counts::planned).sum();
  }

  public long totalFailed() {
    return byOp.values().stream().mapToLong(Counts::failed).sum();
  }

  public long totalAborted() {
    return byOp.values().stream().mapToLong(Counts::aborted).sum();
  }
}
