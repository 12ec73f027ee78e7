package io.synclog.sink.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.synclog.sink.postgres.EmbeddedPg;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * BigQuery's storage played by the embedded PostgreSQL server, for {@link BigQueryStub}: a dataset
 * is a schema, a table a table. Tables are described from the catalog (tables.get) and created from
 * a BigQuery schema (tables.insert); a load job reads the staged Avro files, which the connector
 * wrote to s3proxy's store under {@code gs://bucket/...}, and inserts their rows; query jobs and
 * scripts run through {@link BqScript}.
 */
final class PgWarehouse implements BackendRoutes.Backend {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** BigQuery column types (legacy and standard names) as PostgreSQL types. */
  private static final Map<String, String> TO_PG =
      Map.ofEntries(
          Map.entry("STRING", "text"),
          Map.entry("INTEGER", "bigint"),
          Map.entry("INT64", "bigint"),
          Map.entry("BOOLEAN", "boolean"),
          Map.entry("BOOL", "boolean"),
          Map.entry("TIMESTAMP", "timestamptz"),
          Map.entry("DATE", "date"),
          Map.entry("JSON", "jsonb"),
          Map.entry("FLOAT", "double precision"),
          Map.entry("FLOAT64", "double precision"),
          Map.entry("NUMERIC", "numeric"));

  /** PostgreSQL's catalog types as the legacy names tables.get reports. */
  private static final Map<String, String> FROM_PG =
      Map.of(
          "text", "STRING",
          "bigint", "INTEGER",
          "integer", "INTEGER",
          "boolean", "BOOLEAN",
          "timestamp with time zone", "TIMESTAMP",
          "date", "DATE",
          "jsonb", "JSON",
          "double precision", "FLOAT",
          "numeric", "NUMERIC");

  private final Path buckets;

  /**
   * @param buckets the folder holding one folder per bucket of {@code gs://} URIs
   */
  PgWarehouse(Path buckets) {
    this.buckets = buckets;
  }

  static Connection connect() throws SQLException {
    Connection c = EmbeddedPg.admin();
    try (Statement st = c.createStatement()) {
      st.execute("SET TIME ZONE 'UTC'");
    }
    return c;
  }

  static String pgName(String dataset, String table) {
    return "\"" + dataset + "\".\"" + table + "\"";
  }

  /** The columns of a table as name and PostgreSQL type, in order; empty if there is none. */
  static List<String[]> columns(Connection c, String dataset, String table) throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE"
                + " table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, dataset);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        }
      }
    }
    return out;
  }

  @Override
  public ObjectNode table(String project, String dataset, String table) throws SQLException {
    try (Connection c = connect()) {
      List<String[]> columns = columns(c, dataset, table);
      if (columns.isEmpty()) {
        return null;
      }
      long rows;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM " + pgName(dataset, table))) {
        rs.next();
        rows = rs.getLong(1);
      }
      ObjectNode t = JSON.createObjectNode();
      t.put("kind", "bigquery#table").put("id", project + ":" + dataset + "." + table);
      t.putObject("tableReference")
          .put("projectId", project)
          .put("datasetId", dataset)
          .put("tableId", table);
      ArrayNode fields = t.putObject("schema").putArray("fields");
      for (String[] col : columns) {
        fields
            .addObject()
            .put("name", col[0])
            .put("type", FROM_PG.getOrDefault(col[1], "STRING"))
            .put("mode", col[2].equals("YES") ? "NULLABLE" : "REQUIRED");
      }
      // int64 fields travel as JSON strings in this API
      t.put("type", "TABLE")
          .put("numRows", Long.toString(rows))
          .put("numBytes", Long.toString(rows * 100))
          .put("creationTime", "1")
          .put("lastModifiedTime", "1")
          .put("location", "US");
      return t;
    }
  }

  @Override
  public void create(JsonNode resource) throws SQLException {
    JsonNode ref = resource.path("tableReference");
    try (Connection c = connect()) {
      create(c, ref.path("datasetId").asText(), ref.path("tableId").asText(), resource);
    }
  }

  private static void create(Connection c, String dataset, String table, JsonNode resource)
      throws SQLException {
    List<String> cols = new ArrayList<>();
    for (JsonNode f : resource.path("schema").path("fields")) {
      String type = f.path("type").asText();
      String pg = TO_PG.get(type);
      if (pg == null) {
        throw new IllegalArgumentException("the stand-in has no column type for " + type);
      }
      cols.add(
          "\""
              + f.path("name").asText()
              + "\" "
              + pg
              + ("REQUIRED".equals(f.path("mode").asText()) ? " NOT NULL" : ""));
    }
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + pgName(dataset, table) + " (" + String.join(", ", cols) + ")");
    }
  }

  @Override
  public void drop(String project, String dataset, String table) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + pgName(dataset, table));
    }
  }

  /**
   * A load job: the destination created or replaced as its dispositions say, then every row of the
   * source files inserted, in one transaction.
   */
  @Override
  public long load(JsonNode load) throws SQLException, IOException {
    JsonNode dest = load.path("destinationTable");
    String dataset = dest.path("datasetId").asText();
    String table = dest.path("tableId").asText();
    if (!"AVRO".equals(load.path("sourceFormat").asText())) {
      throw new IllegalArgumentException("the stand-in loads AVRO only: " + load);
    }
    JsonNode fields = load.path("schema").path("fields");
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      boolean exists = !columns(c, dataset, table).isEmpty();
      String disposition = load.path("writeDisposition").asText("WRITE_APPEND");
      if (exists && disposition.equals("WRITE_TRUNCATE")) {
        try (Statement st = c.createStatement()) {
          st.execute("DROP TABLE " + pgName(dataset, table));
        }
        exists = false;
      }
      if (!exists) {
        if ("CREATE_NEVER".equals(load.path("createDisposition").asText())) {
          throw new IllegalArgumentException("Not found: Table " + dataset + "." + table);
        }
        create(c, dataset, table, load);
      }
      long rows = insert(c, dataset, table, fields, files(load.path("sourceUris")));
      c.commit();
      return rows;
    }
  }

  private List<Path> files(JsonNode uris) throws IOException {
    List<Path> out = new ArrayList<>();
    for (JsonNode u : uris) {
      String uri = u.asText();
      if (!uri.startsWith("gs://")) {
        throw new IllegalArgumentException("not a gs:// URI: " + uri);
      }
      Path p = buckets.resolve(uri.substring(5));
      if (p.getFileName().toString().contains("*")) {
        try (DirectoryStream<Path> ds =
            Files.newDirectoryStream(p.getParent(), p.getFileName().toString())) {
          ds.forEach(out::add);
        }
      } else {
        out.add(p);
      }
    }
    Collections.sort(out);
    return out;
  }

  private static long insert(
      Connection c, String dataset, String table, JsonNode fields, List<Path> files)
      throws SQLException, IOException {
    List<String> names = new ArrayList<>();
    List<String> marks = new ArrayList<>();
    for (JsonNode f : fields) {
      names.add("\"" + f.path("name").asText() + "\"");
      marks.add("JSON".equals(f.path("type").asText()) ? "CAST(? AS jsonb)" : "?");
    }
    String sql =
        "INSERT INTO "
            + pgName(dataset, table)
            + " ("
            + String.join(", ", names)
            + ") VALUES ("
            + String.join(", ", marks)
            + ")";
    long rows = 0;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Path file : files) {
        try (DataFileReader<GenericRecord> in =
            new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
          for (GenericRecord r : in) {
            int i = 1;
            for (JsonNode f : fields) {
              ps.setObject(i++, value(r.get(f.path("name").asText()), f.path("type").asText()));
            }
            ps.addBatch();
            rows++;
          }
        }
      }
      ps.executeBatch();
    }
    return rows;
  }

  /** An Avro value as the JDBC value of its BigQuery column type. */
  private static Object value(Object v, String type) {
    if (v == null) {
      return null;
    }
    return switch (type) {
      case "TIMESTAMP" -> Instant.EPOCH.plus((Long) v, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
      case "DATE" -> LocalDate.ofEpochDay((Integer) v);
      case "STRING", "JSON" -> v.toString();
      default -> v;
    };
  }

  @Override
  public BqScript.Answer query(String sql, List<BqParam> params) throws BqScript.Failure {
    try (Connection c = connect()) {
      return BqScript.run(c, sql, params);
    } catch (SQLException e) {
      throw new BqScript.Failure(BqScript.message(e));
    }
  }
}
