package io.synclog.sink.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes of {@link BigQueryStub} that execute, when it has a {@link Backend}: tables.get,
 * tables.insert and tables.delete answered by the backend's tables, load jobs loading into them,
 * query jobs and scripts run there, a job done when its insert returns, its error BigQuery-shaped.
 */
final class BackendRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where tables live and jobs run, when the stub executes them. */
  interface Backend {
    /** The tables.get resource of a table, or null if there is none. */
    ObjectNode table(String project, String dataset, String table) throws Exception;

    /** tables.insert. */
    void create(JsonNode resource) throws Exception;

    void drop(String project, String dataset, String table) throws Exception;

    /** Runs a load job's configuration; returns the rows loaded. */
    long load(JsonNode load) throws Exception;

    BqScript.Answer query(String sql, List<BqParam> params) throws BqScript.Failure;
  }

  private static final Pattern TABLES =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables");

  private final Backend backend;
  private final Map<String, JsonNode> jobs;
  private final Deque<String> failures;
  private final Map<String, BqScript.Answer> answers = new ConcurrentHashMap<>();

  BackendRoutes(Backend backend, Map<String, JsonNode> jobs, Deque<String> failures) {
    this.backend = backend;
    this.jobs = jobs;
    this.failures = failures;
  }

  /**
   * Serves a request from the backend: tables.get, tables.insert, tables.delete and jobs.insert.
   * Returns false for the requests the recording routes serve alike (tokens, jobs.get, results).
   */
  boolean serve(HttpExchange ex, String path, String body) throws Exception {
    String method = ex.getRequestMethod();
    Matcher table = BigQueryStub.TABLE.matcher(path);
    Matcher tables = TABLES.matcher(path);
    if (table.matches()) {
      String p = table.group(1);
      String d = table.group(2);
      String t = table.group(3);
      if (method.equals("DELETE")) {
        backend.drop(p, d, t);
        BigQueryStub.reply(ex, 204, null);
        return true;
      }
      ObjectNode resource = backend.table(p, d, t);
      if (resource == null) {
        BigQueryStub.reply(
            ex, 404, BigQueryStub.error(404, "Not found: Table " + p + ":" + d + "." + t));
      } else {
        BigQueryStub.reply(ex, 200, resource);
      }
      return true;
    }
    if (method.equals("POST") && tables.matches()) {
      JsonNode resource = JSON.readTree(body);
      backend.create(resource);
      JsonNode ref = resource.path("tableReference");
      BigQueryStub.reply(
          ex,
          200,
          backend.table(
              ref.path("projectId").asText(),
              ref.path("datasetId").asText(),
              ref.path("tableId").asText()));
      return true;
    }
    if (!method.equals("POST") || !BigQueryStub.JOBS.matcher(path).matches()) {
      return false;
    }
    ObjectNode job = (ObjectNode) JSON.readTree(body);
    String id = job.path("jobReference").path("jobId").asText();
    ((ObjectNode) job.path("jobReference")).put("location", "US");
    ObjectNode status = job.putObject("status").put("state", "DONE");
    ObjectNode stats = job.putObject("statistics");
    stats.put("creationTime", "1").put("startTime", "1").put("endTime", "2");
    JsonNode load = job.path("configuration").path("load");
    String failure = null;
    if (!load.isMissingNode()) {
      try {
        long rows = backend.load(load);
        stats
            .putObject("load")
            .put("outputRows", Long.toString(rows))
            .put("outputBytes", Long.toString(rows * 100))
            .put("inputFiles", Integer.toString(load.path("sourceUris").size()))
            .put("inputFileBytes", Long.toString(rows * 100));
      } catch (Exception e) {
        failure = e.getMessage();
      }
    } else {
      JsonNode q = job.path("configuration").path("query");
      failure = failures.poll();
      if (failure == null) {
        try {
          BqScript.Answer answer = backend.query(q.path("query").asText(), params(q));
          answers.put(id, answer);
          stats.putObject("query").put("numDmlAffectedRows", Long.toString(answer.affected()));
        } catch (BqScript.Failure e) {
          failure = e.getMessage();
        }
      }
    }
    if (failure != null) {
      status.putObject("errorResult").put("reason", "invalidQuery").put("message", failure);
    }
    jobs.put(id, job);
    BigQueryStub.reply(ex, 200, job);
    return true;
  }

  private static List<BqParam> params(JsonNode query) {
    List<BqParam> out = new ArrayList<>();
    for (JsonNode p : query.path("queryParameters")) {
      JsonNode v = p.path("parameterValue").path("value");
      out.add(
          new BqParam(
              p.path("name").asText(),
              p.path("parameterType").path("type").asText(),
              v.isMissingNode() || v.isNull() ? null : v.asText()));
    }
    return out;
  }

  boolean answered(JsonNode job) {
    return answers.containsKey(job.path("jobReference").path("jobId").asText());
  }

  ObjectNode results(JsonNode job) {
    BqScript.Answer answer = answers.get(job.path("jobReference").path("jobId").asText());
    ObjectNode r = JSON.createObjectNode().put("jobComplete", true);
    r.set("jobReference", job.path("jobReference"));
    ArrayNode fields = r.putObject("schema").putArray("fields");
    for (String[] f : answer.fields()) {
      fields.addObject().put("name", f[0]).put("type", f[1]);
    }
    ArrayNode out = r.putArray("rows");
    for (List<String> row : answer.rows()) {
      ArrayNode f = out.addObject().putArray("f");
      row.forEach(v -> f.addObject().put("v", v));
    }
    r.put("totalRows", Integer.toString(answer.rows().size()));
    return r;
  }
}
