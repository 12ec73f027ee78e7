package io.synclog.sink.postgres;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Bulk-loads a Dataset into a staging table with {@code COPY ... FROM STDIN}, one connection per
 * Spark partition, in parallel.
 *
 * <p>Each partition's load is one transaction that first deletes what an earlier attempt of the
 * same partition left, under an advisory lock on (table, partition). A retried or speculative task
 * therefore replaces its partition's rows instead of adding a second copy.
 */
final class PgCopy {
  /** Staging column holding the Spark partition that wrote the row. */
  static final String PART = "_synclog_part";

  private PgCopy() {}

  /**
   * Loads the rows into the (existing) staging table.
   *
   * @param qualified the quoted staging table name
   */
  static void load(Dataset<Row> rows, PgTarget target, String qualified) {
    List<String> cols = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      cols.add(PostgresDialect.INSTANCE.quote(f.name()));
    }
    cols.add(PostgresDialect.INSTANCE.quote(PART));
    String copy =
        "COPY " + qualified + " (" + String.join(", ", cols) + ") FROM STDIN (FORMAT text)";
    String clear =
        "DELETE FROM " + qualified + " WHERE " + PostgresDialect.INSTANCE.quote(PART) + " = ?";
    String lock = "SELECT pg_advisory_xact_lock(hashtext(?), ?)";
    String table = qualified;
    rows.foreachPartition(
        (ForeachPartitionFunction<Row>)
            it -> loadPartition(it, target, table, lock, clear, copy, partition()));
  }

  private static int partition() {
    TaskContext ctx = TaskContext.get();
    return ctx == null ? 0 : ctx.partitionId();
  }

  private static void loadPartition(
      Iterator<Row> rows,
      PgTarget target,
      String table,
      String lock,
      String clear,
      String copy,
      int part)
      throws SQLException, IOException {
    try (Connection c = target.connect()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps = c.prepareStatement(lock)) {
          ps.setString(1, table);
          ps.setInt(2, part);
          ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement(clear)) {
          ps.setInt(1, part);
          ps.executeUpdate();
        }
        String suffix = "\t" + part + "\n";
        try (Writer w =
            new BufferedWriter(
                new OutputStreamWriter(
                    new PGCopyOutputStream(c.unwrap(PGConnection.class), copy, 1 << 16),
                    StandardCharsets.UTF_8),
                1 << 16)) {
          StringBuilder line = new StringBuilder(256);
          while (rows.hasNext()) {
            line.setLength(0);
            encode(rows.next(), line);
            w.append(line).append(suffix);
          }
        }
        c.commit();
      } catch (SQLException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** One row in COPY text format, without the line end: tab-separated, {@code \N} for null. */
  static void encode(Row row, StringBuilder out) {
    for (int i = 0; i < row.length(); i++) {
      if (i > 0) {
        out.append('\t');
      }
      if (row.isNullAt(i)) {
        out.append("\\N");
      } else {
        appendValue(row.get(i), out);
      }
    }
  }

  private static void appendValue(Object v, StringBuilder out) {
    if (v instanceof Timestamp t) {
      out.append(t.toInstant());
    } else if (v instanceof Instant t) {
      out.append(t);
    } else if (v instanceof String s) {
      escape(s, out);
    } else {
      // numbers, booleans and dates print in a form COPY reads back
      escape(v.toString(), out);
    }
  }

  private static void escape(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
  }
}
