package io.synclog.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The same diff in DuckDB SQL over the same Parquet: a full outer join on the key comparing the
 * rows' JSON, the statuses joined in, and the changelog and next snapshot written as Parquet.
 * DuckDB runs in this JVM's process (in-memory database, its default threads and memory limit).
 *
 * <p>Usage: {@code DuckDbDiff <dir>}; writes {@code <dir>/out/duckdb/{changelog,snapshot}.parquet}.
 */
public final class DuckDbDiff {
  private DuckDbDiff() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).toAbsolutePath();
    Path out = dir.resolve("out/duckdb");
    Files.createDirectories(out);
    Files.deleteIfExists(out.resolve("changelog.parquet"));
    Files.deleteIfExists(out.resolve("snapshot.parquet"));
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement()) {
      run(sql, dir, out);
    }
  }

  static void run(Statement sql, Path dir, Path out) throws SQLException {
    sql.execute(
        "CREATE TEMP TABLE merged AS"
            + " WITH p AS (SELECT t.id, to_json(t) AS fields FROM "
            + parquet(dir.resolve(BenchData.PREVIOUS_MODEL))
            + " t),"
            + " m AS (SELECT t.id, to_json(t) AS fields FROM "
            + parquet(dir.resolve(BenchData.MODEL))
            + " t),"
            + " d AS (SELECT CAST(coalesce(m.id, p.id) AS VARCHAR) AS row_id,"
            + "   CASE WHEN p.id IS NULL THEN 'added' WHEN m.id IS NULL THEN 'removed'"
            + "     WHEN m.fields <> p.fields THEN 'changed' ELSE 'unchanged' END AS op_type,"
            + "   coalesce(m.fields, p.fields) AS fields"
            + "   FROM m FULL OUTER JOIN p ON m.id = p.id)"
            + " SELECT d.op_type, d.row_id,"
            + "   CASE WHEN d.op_type = 'unchanged' THEN 'succeeded'"
            + "     ELSE coalesce(s.status, 'aborted') END AS status,"
            + "   CASE WHEN d.op_type <> 'unchanged' AND s.status = 'failed'"
            + "     THEN s.failed_reason END AS failed_reason,"
            + "   d.fields"
            + " FROM d LEFT JOIN "
            + parquet(dir.resolve(BenchData.STATUSES))
            + " s ON s.row_id = d.row_id");
    sql.execute(
        "COPY (SELECT * FROM merged WHERE op_type <> 'unchanged') TO '"
            + out.resolve("changelog.parquet")
            + "' (FORMAT parquet)");
    sql.execute(
        "COPY (SELECT * FROM merged WHERE op_type <> 'removed' OR status <> 'succeeded') TO '"
            + out.resolve("snapshot.parquet")
            + "' (FORMAT parquet)");
  }

  private static String parquet(Path folder) {
    return "read_parquet('" + folder.resolve("*.parquet") + "')";
  }
}
