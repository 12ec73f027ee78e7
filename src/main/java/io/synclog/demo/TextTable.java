package io.synclog.demo;

import java.sql.Timestamp;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** Formats a few rows as a plain-text table for the terminal. */
final class TextTable {
  static final int MAX_WIDTH = 72;

  private TextTable() {}

  static String render(StructType schema, List<Row> rows) {
    String[] names = schema.fieldNames();
    List<String[]> cells = new ArrayList<>();
    for (Row row : rows) {
      String[] line = new String[names.length];
      for (int i = 0; i < names.length; i++) {
        line[i] = cell(row.isNullAt(i) ? null : row.get(i));
      }
      cells.add(line);
    }
    int[] widths = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      widths[i] = names[i].length();
      for (String[] line : cells) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, names, widths);
    String[] rules = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      rules[i] = "-".repeat(widths[i]);
    }
    line(sb, rules, widths);
    cells.forEach(c -> line(sb, c, widths));
    if (rows.isEmpty()) {
      sb.append("  (no rows)\n");
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String[] cells, int[] widths) {
    sb.append(' ');
    for (int i = 0; i < cells.length; i++) {
      sb.append(' ').append(String.format("%-" + widths[i] + "s", cells[i]));
    }
    sb.setLength(sb.length() - trailingSpaces(sb));
    sb.append('\n');
  }

  private static int trailingSpaces(StringBuilder sb) {
    int n = 0;
    while (n < sb.length() && sb.charAt(sb.length() - 1 - n) == ' ') {
      n++;
    }
    return n;
  }

  /** Timestamps in UTC to the second; long values cut to {@link #MAX_WIDTH}. */
  static String cell(Object value) {
    String text;
    if (value == null) {
      text = "null";
    } else if (value instanceof Timestamp ts) {
      text = ts.toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    } else {
      text = value.toString();
    }
    return text.length() <= MAX_WIDTH ? text : text.substring(0, MAX_WIDTH - 3) + "...";
  }
}
