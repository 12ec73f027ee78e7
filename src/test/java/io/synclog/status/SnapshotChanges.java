package io.synclog.status;

import static io.synclog.plan.Columns.OP_TYPE;
import static io.synclog.plan.Columns.ROW_ID;
import static io.synclog.plan.Columns.UNCHANGED;

import io.synclog.log.SnapshotChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Applies {@link StatusMerge.Merged#snapshotChanges()} to a previous snapshot in plain Java, the
 * way the Delta sink's MERGE does, so tests can compare the result with the whole next snapshot.
 */
final class SnapshotChanges {
  private SnapshotChanges() {}

  /** The previous snapshot with the changes applied, as sorted lines of the snapshot columns. */
  static List<String> applied(Dataset<Row> previous, Dataset<Row> changes) {
    Map<String, Map<String, Object>> rows = new TreeMap<>();
    for (Row r : previous.collectAsList()) {
      rows.put(r.getAs(ROW_ID), values(r));
    }
    for (Row c : changes.collectAsList()) {
      String key = c.getAs(ROW_ID);
      switch (c.<String>getAs(SnapshotChange.SNAPSHOT_CHANGE)) {
        case SnapshotChange.DELETE -> rows.remove(key);
        case SnapshotChange.RESET -> {
          if (rows.containsKey(key)) {
            rows.get(key).put(OP_TYPE, UNCHANGED);
          }
        }
        case SnapshotChange.UPSERT -> rows.put(key, values(c));
        default -> throw new AssertionError("unknown change " + c);
      }
    }
    List<String> out = new ArrayList<>();
    rows.values().forEach(v -> out.add(line(v)));
    return out;
  }

  /** A whole snapshot as the same sorted lines. */
  static List<String> lines(Dataset<Row> snapshot) {
    Map<String, String> byKey = new TreeMap<>();
    for (Row r : snapshot.collectAsList()) {
      byKey.put(r.getAs(ROW_ID), line(values(r)));
    }
    return new ArrayList<>(byKey.values());
  }

  private static Map<String, Object> values(Row r) {
    Map<String, Object> v = new LinkedHashMap<>();
    for (String c : StatusMerge.SNAPSHOT_COLUMNS) {
      v.put(c, r.getAs(c));
    }
    return v;
  }

  private static String line(Map<String, Object> v) {
    StringBuilder b = new StringBuilder();
    for (String c : StatusMerge.SNAPSHOT_COLUMNS) {
      b.append(c).append('=').append(v.get(c)).append(' ');
    }
    return b.toString().trim();
  }
}
