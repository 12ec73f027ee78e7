package io.synclog.sink.delta.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synclog.config.Secret;
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
import java.util.Map;

/**
 * The few Databricks REST calls the live test makes, with a personal access token: upload a file to
 * a volume (Files API), submit a one-time JAR run on a cluster and wait for it (Jobs API 2.1), and
 * run a SQL statement on a SQL warehouse (Statement Execution API). The token is sent only in the
 * Authorization header and masked in every message this class builds.
 */
final class DatabricksApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String host;
  private final Secret token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  DatabricksApi(String host, Secret token) {
    this.host = host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
    this.token = token;
  }

  @Override
  public String toString() {
    return "Databricks workspace " + host + " (token " + token + ")";
  }

  void upload(String volumePath, byte[] bytes) {
    send(
        "PUT",
        "/api/2.0/fs/files" + encodePath(volumePath) + "?overwrite=true",
        HttpRequest.BodyPublishers.ofByteArray(bytes),
        "application/octet-stream");
  }

  /** Submits a one-time run of the synclog jar on a cluster; returns its run id. */
  long submitJarRun(String clusterId, String jar, List<String> parameters) {
    Map<String, Object> task =
        Map.of(
            "task_key",
            "synclog",
            "existing_cluster_id",
            clusterId,
            "spark_jar_task",
            Map.of("main_class_name", "io.synclog.SyncLogMain", "parameters", parameters),
            "libraries",
            List.of(Map.of("jar", jar)));
    JsonNode out =
        post("/api/2.1/jobs/runs/submit", Map.of("run_name", "synclog IT", "tasks", List.of(task)));
    return out.get("run_id").asLong();
  }

  /** Waits for a run to end; returns its result state (SUCCESS, FAILED, ...). */
  String await(long runId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode state = get("/api/2.1/jobs/runs/get?run_id=" + runId).get("state");
      String life = state.path("life_cycle_state").asText();
      if (List.of("TERMINATED", "SKIPPED", "INTERNAL_ERROR").contains(life)) {
        return state.path("result_state").asText(life);
      }
      Thread.sleep(5_000);
    }
    throw new IllegalStateException("run " + runId + " did not end within " + timeout);
  }

  /** Runs one statement on a SQL warehouse; returns its rows, cells as strings. */
  List<List<String>> sql(String warehouseId, String statement) {
    JsonNode out =
        post(
            "/api/2.0/sql/statements",
            Map.of(
                "warehouse_id",
                warehouseId,
                "statement",
                statement,
                "wait_timeout",
                "50s",
                "on_wait_timeout",
                "CANCEL"));
    String state = out.path("status").path("state").asText();
    if (!state.equals("SUCCEEDED")) {
      throw new IllegalStateException(
          "statement " + state + ": " + out.path("status").path("error") + " -- " + statement);
    }
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode row : out.path("result").path("data_array")) {
      List<String> cells = new ArrayList<>();
      row.forEach(c -> cells.add(c.isNull() ? null : c.asText()));
      rows.add(cells);
    }
    return rows;
  }

  private JsonNode get(String path) {
    return send("GET", path, HttpRequest.BodyPublishers.noBody(), null);
  }

  private JsonNode post(String path, Object body) {
    try {
      return send(
          "POST",
          path,
          HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)),
          "application/json");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode send(
      String method, String path, HttpRequest.BodyPublisher body, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(host + path))
            .timeout(Duration.ofMinutes(2))
            .header("Authorization", "Bearer " + token.reveal())
            .method(method, body);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(mask(method + " " + host + path + ": " + e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " " + path + " interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          mask(
              method + " " + path + " answered " + response.statusCode() + ": " + response.body()));
    }
    try {
      return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(mask(method + " " + path + ": not JSON: " + response.body()));
    }
  }

  /** A message with the token, should a server echo it, replaced by its mask. */
  private String mask(String message) {
    String clear = token.reveal();
    return clear.isEmpty() ? message : message.replace(clear, token.toString());
  }

  private static String encodePath(String path) {
    StringBuilder out = new StringBuilder();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        out.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
      }
    }
    return out.toString();
  }
}
