package io.synclog.sink.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for the parts of the BigQuery REST API that the connector's indirect write
 * and synclog's own client call: tables.get (404 until a load job created the table), jobs.insert
 * (recorded, done at once, with the load statistics the connector needs), jobs.get,
 * jobs.getQueryResults (rows from a test-supplied function) and an OAuth token endpoint. By itself
 * it executes nothing: it records what was asked, so tests assert the requests. Given a {@link
 * BackendRoutes.Backend}, it also executes: tables are the backend's, load jobs load and query jobs
 * run there, and results are the backend's rows.
 */
final class BigQueryStub implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern TABLE =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables/([^/?]+)");
  static final Pattern JOBS = Pattern.compile("/bigquery/v2/projects/([^/]+)/jobs");
  private static final Pattern JOB =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/(jobs|queries)/([^/?]+).*");

  /** One request as received. */
  record Request(String method, String path, Map<String, String> headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, JsonNode> jobs = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> tables = new ConcurrentHashMap<>();
  private volatile Function<String, List<List<String>>> rows = sql -> List.of();
  private volatile Function<String, Long> affected = sql -> 0L;
  private final java.util.Deque<String> failures =
      new java.util.concurrent.ConcurrentLinkedDeque<>();
  private final BackendRoutes backend;
  private final java.util.concurrent.ExecutorService pool;

  BigQueryStub() throws IOException {
    this(null);
  }

  BigQueryStub(BackendRoutes.Backend backend) throws IOException {
    this.backend = backend == null ? null : new BackendRoutes(backend, jobs, failures);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    if (backend != null) {
      // jobs of concurrent runs execute concurrently, as BigQuery's do
      pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      server.setExecutor(pool);
    } else {
      pool = null;
    }
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Bodies of the inserted jobs, in order. */
  List<JsonNode> insertedJobs() {
    List<JsonNode> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.method().equals("POST") && JOBS.matcher(r.path()).matches()) {
        out.add(r.json());
      }
    }
    return out;
  }

  /** The SQL of the inserted query jobs, in order. */
  List<String> queries() {
    return insertedJobs().stream()
        .filter(j -> j.path("configuration").has("query"))
        .map(j -> j.path("configuration").path("query").path("query").asText())
        .toList();
  }

  void answer(Function<String, List<List<String>>> rows, Function<String, Long> affected) {
    this.rows = rows;
    this.affected = affected;
  }

  /** The next query jobs fail, one per message, as BigQuery reports a failed job. */
  void failNextQueries(String... messages) {
    failures.addAll(List.of(messages));
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] raw = ex.getRequestBody().readAllBytes();
    if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
      raw = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw)).readAllBytes();
    }
    String body = new String(raw, StandardCharsets.UTF_8);
    String path = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery();
    Map<String, String> headers = new ConcurrentHashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
    requests.add(new Request(ex.getRequestMethod(), path, headers, body));
    try {
      if (backend == null || !backend.serve(ex, path, body)) {
        route(ex, path, query, body);
      }
    } catch (Exception e) {
      reply(ex, 500, error(500, e.toString()));
    }
  }

  private void route(HttpExchange ex, String path, String query, String body) throws IOException {
    String method = ex.getRequestMethod();
    if (path.equals("/token")) {
      reply(
          ex,
          200,
          JSON.createObjectNode().put("access_token", "stub-token").put("expires_in", 3600));
      return;
    }
    Matcher table = TABLE.matcher(path);
    if (table.matches()) {
      String key = table.group(1) + "." + table.group(2) + "." + table.group(3);
      if (method.equals("DELETE")) {
        tables.remove(key);
        reply(ex, 204, null);
      } else if (tables.containsKey(key)) {
        reply(ex, 200, tables.get(key));
      } else {
        reply(ex, 404, error(404, "Not found: Table " + key));
      }
      return;
    }
    if (method.equals("POST") && JOBS.matcher(path).matches()) {
      ObjectNode job = (ObjectNode) JSON.readTree(body);
      String id = job.path("jobReference").path("jobId").asText();
      ((ObjectNode) job.path("jobReference")).put("location", "US");
      job.putObject("status").put("state", "DONE");
      ObjectNode stats = job.putObject("statistics");
      // int64 fields travel as JSON strings in this API
      stats.put("creationTime", "1").put("startTime", "1").put("endTime", "2");
      JsonNode load = job.path("configuration").path("load");
      if (!load.isMissingNode()) {
        stats
            .putObject("load")
            .put("outputBytes", "100")
            .put("outputRows", "1")
            .put("inputFiles", Integer.toString(load.path("sourceUris").size()))
            .put("inputFileBytes", "100");
        JsonNode dest = load.path("destinationTable");
        ObjectNode t = JSON.createObjectNode();
        t.putObject("tableReference").setAll((ObjectNode) dest);
        t.set("schema", load.path("schema"));
        t.put("type", "TABLE").put("numRows", "1").put("numBytes", "100");
        tables.put(
            dest.path("projectId").asText()
                + "."
                + dest.path("datasetId").asText()
                + "."
                + dest.path("tableId").asText(),
            t);
      } else {
        String sql = job.path("configuration").path("query").path("query").asText();
        stats.putObject("query").put("numDmlAffectedRows", Long.toString(affected.apply(sql)));
        String failure = failures.poll();
        if (failure != null) {
          ((ObjectNode) job.path("status"))
              .putObject("errorResult")
              .put("reason", "invalidQuery")
              .put("message", failure);
        }
      }
      jobs.put(id, job);
      reply(ex, 200, job);
      return;
    }
    Matcher job = JOB.matcher(path);
    if (method.equals("GET") && job.matches()) {
      JsonNode j = jobs.get(job.group(3));
      if (j == null) {
        reply(ex, 404, error(404, "Not found: Job " + job.group(3)));
      } else if (job.group(2).equals("jobs")) {
        reply(ex, 200, j);
      } else {
        reply(ex, 200, results(j));
      }
      return;
    }
    reply(ex, 404, error(404, "stub has no route for " + method + " " + path));
  }

  private ObjectNode results(JsonNode job) {
    if (backend != null && backend.answered(job)) {
      return backend.results(job);
    }
    String sql = job.path("configuration").path("query").path("query").asText();
    List<List<String>> data = rows.apply(sql);
    ObjectNode r = JSON.createObjectNode().put("jobComplete", true);
    r.set("jobReference", job.path("jobReference"));
    ArrayNode fields = r.putObject("schema").putArray("fields");
    int width = data.isEmpty() ? 0 : data.get(0).size();
    for (int i = 0; i < width; i++) {
      fields.addObject().put("name", "c" + i).put("type", "STRING");
    }
    ArrayNode out = r.putArray("rows");
    for (List<String> row : data) {
      ArrayNode f = out.addObject().putArray("f");
      row.forEach(v -> f.addObject().put("v", v));
    }
    r.put("totalRows", Integer.toString(data.size()));
    return r;
  }

  static ObjectNode error(int code, String message) {
    ObjectNode e = JSON.createObjectNode();
    e.putObject("error").put("code", code).put("message", message);
    return e;
  }

  static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
