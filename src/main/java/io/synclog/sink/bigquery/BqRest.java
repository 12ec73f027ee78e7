package io.synclog.sink.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal client of the BigQuery REST API for synclog's own statements: a query job is inserted
 * ({@code jobs.insert}), polled ({@code jobs.get}) until done, and its rows read ({@code
 * jobs.getQueryResults}). The spark connector cannot run DML or scripts; this is the only other
 * path to the warehouse. Values travel as named query parameters.
 */
final class BqRest {
  private static final Logger LOG = LoggerFactory.getLogger(BqRest.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  private final String endpoint;
  private final String billingProject;
  private final BqAuth auth;
  private final HttpClient http;

  /** Rows of a query (values as text, timestamps as epoch microseconds) and DML row counts. */
  record Result(List<String> columns, List<List<String>> rows, long affectedRows) {}

  /** A failed job or call; the message is BigQuery's, which never holds the credentials. */
  static final class Failure extends IOException {
    Failure(String message) {
      super(message);
    }
  }

  BqRest(String endpoint, String billingProject, BqAuth auth) {
    this.endpoint = endpoint;
    this.billingProject = billingProject;
    this.auth = auth;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  }

  /** Runs a query, DML statement or script to completion. */
  Result query(String sql, List<BqParam> params) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    String jobId = "synclog_" + UUID.randomUUID().toString().replace("-", "");
    body.putObject("jobReference").put("projectId", billingProject).put("jobId", jobId);
    ObjectNode query = body.putObject("configuration").putObject("query");
    query.put("query", sql).put("useLegacySql", false);
    if (!params.isEmpty()) {
      query.put("parameterMode", "NAMED");
      ArrayNode list = query.putArray("queryParameters");
      for (BqParam p : params) {
        ObjectNode node = list.addObject().put("name", p.name());
        node.putObject("parameterType").put("type", p.type());
        ObjectNode value = node.putObject("parameterValue");
        if (p.value() != null) {
          value.put("value", p.value());
        }
      }
    }
    JsonNode job = call("POST", "/projects/" + enc(billingProject) + "/jobs", body);
    String location = job.path("jobReference").path("location").asText(null);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    long sleep = 200;
    while (!"DONE".equals(job.path("status").path("state").asText())) {
      if (System.nanoTime() > deadline) {
        throw new Failure("job " + jobId + " did not finish within " + TIMEOUT);
      }
      Thread.sleep(sleep);
      sleep = Math.min(sleep * 2, 5000);
      job = call("GET", jobPath("jobs/" + jobId, location), null);
    }
    JsonNode error = job.path("status").path("errorResult");
    if (!error.isMissingNode() && !error.isNull()) {
      throw new Failure(error.path("message").asText(error.toString()));
    }
    long affected = job.path("statistics").path("query").path("numDmlAffectedRows").asLong(0);
    return results(jobId, location, affected);
  }

  static final int CONFLICT_ATTEMPTS = 8;

  /**
   * Runs a transaction script. BigQuery cancels one of two transactions that change the same table
   * at once (two syncs committing, storing a plan or releasing together); synclog's scripts are
   * idempotent, so a cancelled one is run again.
   */
  Result transaction(String script, List<BqParam> params) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return query(script, params);
      } catch (Failure e) {
        String m = String.valueOf(e.getMessage());
        if (!BqSql.isConcurrentUpdate(m) || attempt >= CONFLICT_ATTEMPTS) {
          throw e;
        }
        long sleep = ThreadLocalRandom.current().nextLong(500, 2000L * attempt);
        LOG.info("transaction aborted by a concurrent update ({}); retrying in {} ms", m, sleep);
        Thread.sleep(sleep);
      }
    }
  }

  private Result results(String jobId, String location, long affected)
      throws IOException, InterruptedException {
    List<String> columns = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    String pageToken = null;
    do {
      String path =
          jobPath("queries/" + jobId, location)
              + (location == null ? "?" : "&")
              + "formatOptions.useInt64Timestamp=true"
              + (pageToken == null ? "" : "&pageToken=" + enc(pageToken));
      JsonNode page = call("GET", path, null);
      if (columns.isEmpty()) {
        for (JsonNode f : page.path("schema").path("fields")) {
          columns.add(f.path("name").asText());
        }
      }
      for (JsonNode row : page.path("rows")) {
        List<String> values = new ArrayList<>();
        for (JsonNode cell : row.path("f")) {
          JsonNode v = cell.path("v");
          values.add(v.isNull() || v.isMissingNode() ? null : v.asText());
        }
        rows.add(values);
      }
      pageToken = page.path("pageToken").asText(null);
    } while (pageToken != null);
    return new Result(columns, rows, affected);
  }

  /** The column names of a table, or empty if it does not exist. */
  Optional<List<String>> columns(String project, String dataset, String table)
      throws IOException, InterruptedException {
    String path =
        "/projects/" + enc(project) + "/datasets/" + enc(dataset) + "/tables/" + enc(table);
    HttpResponse<String> r = send("GET", path, null);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    JsonNode t = check(r);
    List<String> out = new ArrayList<>();
    for (JsonNode f : t.path("schema").path("fields")) {
      out.add(f.path("name").asText());
    }
    return Optional.of(out);
  }

  private String jobPath(String what, String location) {
    return "/projects/"
        + enc(billingProject)
        + "/"
        + what
        + (location == null ? "" : "?location=" + enc(location));
  }

  private JsonNode call(String method, String path, JsonNode body)
      throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> r = send(method, path, body);
      boolean retryable = r.statusCode() == 429 || r.statusCode() >= 500;
      // a GET is safe to repeat; an insert carries its job id, so a repeat cannot run twice
      if (retryable && attempt < 5) {
        Thread.sleep(500L * attempt * attempt);
        continue;
      }
      return check(r);
    }
  }

  private HttpResponse<String> send(String method, String path, JsonNode body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(endpoint + "/bigquery/v2" + path))
            .timeout(Duration.ofMinutes(2))
            .header("Authorization", "Bearer " + auth.accessToken())
            .header("User-Agent", "synclog");
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode check(HttpResponse<String> r) throws IOException {
    JsonNode node;
    try {
      node = JSON.readTree(r.body());
    } catch (IOException e) {
      node = null;
    }
    if (r.statusCode() / 100 != 2) {
      String message =
          node == null ? "" : node.path("error").path("message").asText("").split("\n")[0];
      throw new Failure("HTTP " + r.statusCode() + (message.isEmpty() ? "" : ": " + message));
    }
    if (node == null) {
      throw new Failure("HTTP " + r.statusCode() + " with a body that is not JSON");
    }
    return node;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
