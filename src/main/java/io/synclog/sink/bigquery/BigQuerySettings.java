package io.synclog.sink.bigquery;

import io.synclog.config.ConfigKeys;
import io.synclog.config.Secret;
import io.synclog.config.TargetKeys;
import io.synclog.error.Errors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The BigQuery target's settings, read from the target.* keys and checked all at once: where the
 * dataset is, who pays for the jobs, how to authenticate, how the connector writes. Secrets stay
 * {@link Secret}s; {@link #toString()} names the project and dataset only.
 *
 * @param project project holding the dataset
 * @param parentProject project billed for the jobs
 * @param dataset the dataset ({@code target.schema})
 * @param auth service-account, oauth or default
 * @param credentialsFile service-account key file, or null
 * @param credentials service-account key JSON (decoded from base64), or null
 * @param token oauth access token, or null
 * @param writeMethod indirect or direct
 * @param tempDir {@code bucket[/path]} for staged files (indirect), without {@code gs://}, or null
 * @param endpoint REST endpoint override, or null for Google's
 */
public record BigQuerySettings(
    String project,
    String parentProject,
    String dataset,
    String auth,
    String credentialsFile,
    Secret credentials,
    Secret token,
    String writeMethod,
    String tempDir,
    String endpoint) {

  public static final String KIND = "bigquery";
  public static final String DEFAULT_ENDPOINT = "https://bigquery.googleapis.com";

  /** Project ids: 6 to 30 lowercase letters, digits, hyphens, optionally "domain.com:" first. */
  private static final Pattern PROJECT =
      Pattern.compile("([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]");

  /** Reads and checks the settings of the BigQuery sink; one error lists every problem. */
  public static BigQuerySettings of(TargetKeys config) {
    return read(config, Use.WRITES);
  }

  /** The settings the model reader needs: no staging bucket, whatever the write method. */
  public static BigQuerySettings forReads(TargetKeys config) {
    return read(config, Use.READS);
  }

  private enum Use {
    READS,
    WRITES
  }

  private static BigQuerySettings read(TargetKeys config, Use use) {
    List<String> problems = new ArrayList<>();
    String project = config.get(ConfigKeys.TARGET_PROJECT);
    if (project == null) {
      problems.add("'target.project' is required: the project holding the dataset");
    } else if (!PROJECT.matcher(project).matches()) {
      problems.add(
          "'target.project' is '"
              + project
              + "'; use a project id (6 to 30 lowercase letters, digits and hyphens)");
    }
    String parent = config.optional(ConfigKeys.TARGET_PARENT_PROJECT).orElse(project);
    if (parent != null && !PROJECT.matcher(parent).matches()) {
      problems.add("'target.parent-project' is '" + parent + "'; use a project id");
    }
    String auth = config.optional(ConfigKeys.TARGET_AUTH).orElse("default");
    String file = config.get(ConfigKeys.TARGET_CREDENTIALS_FILE);
    Secret encoded = config.secret(ConfigKeys.TARGET_CREDENTIALS).orElse(null);
    Secret token = config.secret(ConfigKeys.TARGET_TOKEN).orElse(null);
    Secret key = null;
    switch (auth) {
      case "service-account" -> {
        if ((file == null) == (encoded == null)) {
          problems.add(
              "target.auth=service-account needs exactly one of 'target.credentials-file' (path of"
                  + " the JSON key) and 'target.credentials' (the key, base64; set"
                  + " SYNCLOG_TARGET_CREDENTIALS)");
        } else if (file != null && !Files.isReadable(Path.of(file))) {
          problems.add("'target.credentials-file' is '" + file + "', which cannot be read");
        } else if (encoded != null) {
          key = decode(encoded, problems);
        }
        if (token != null) {
          problems.add("'target.token' is for target.auth=oauth; unset it with service-account");
        }
      }
      case "oauth" -> {
        if (token == null) {
          problems.add(
              "target.auth=oauth needs 'target.token', an access token: set SYNCLOG_TARGET_TOKEN"
                  + " or spark.synclog.target.token");
        }
        if (file != null || encoded != null) {
          problems.add(
              "'target.credentials-file' and 'target.credentials' are for"
                  + " target.auth=service-account; unset them with oauth");
        }
      }
      case "default" -> {
        if (file != null || encoded != null || token != null) {
          problems.add(
              "target.auth=default uses GOOGLE_APPLICATION_CREDENTIALS or the metadata server;"
                  + " set target.auth=service-account or oauth to use the credentials given");
        }
      }
      default ->
          problems.add(
              "'target.auth' is '" + auth + "'; BigQuery takes service-account, oauth or default");
    }
    String method = config.get(ConfigKeys.TARGET_WRITE_METHOD);
    String tempDir = null;
    Optional<String> dir = config.optional(ConfigKeys.TARGET_TEMP_DIR);
    if (dir.isPresent()) {
      tempDir = bucketPath(dir.get(), problems);
    } else if ("indirect".equals(method) && use == Use.WRITES) {
      problems.add(
          "'target.temp-dir' is required with target.write-method=indirect: gs://bucket[/path]"
              + " where the connector stages files for the load jobs");
    }
    String endpoint = config.get(ConfigKeys.TARGET_ENDPOINT);
    if (endpoint != null && !endpoint.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
      problems.add("'target.endpoint' is '" + endpoint + "'; use http(s)://host[:port]");
    }
    if (!problems.isEmpty()) {
      throw Errors.targetSettings(KIND, problems);
    }
    return new BigQuerySettings(
        project,
        parent,
        config.schema(),
        auth,
        file,
        key,
        token,
        method,
        tempDir,
        endpoint == null ? null : endpoint.replaceAll("/+$", ""));
  }

  private static Secret decode(Secret encoded, List<String> problems) {
    try {
      String json =
          new String(Base64.getMimeDecoder().decode(encoded.reveal()), StandardCharsets.UTF_8);
      if (!json.trim().startsWith("{")) {
        problems.add("'target.credentials' does not decode to a JSON key");
        return null;
      }
      return Secret.of(json);
    } catch (IllegalArgumentException e) {
      problems.add("'target.credentials' is not base64 (encode the JSON key with base64 -w0)");
      return null;
    }
  }

  /** {@code gs://bucket[/path]} to {@code bucket[/path]}. */
  private static String bucketPath(String uri, List<String> problems) {
    if (!uri.startsWith("gs://")) {
      problems.add("'target.temp-dir' is '" + uri + "'; BigQuery stages on gs://bucket[/path]");
      return null;
    }
    String rest = uri.substring(5).replaceAll("/+$", "");
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    if (!BUCKET.matcher(bucket).matches()) {
      problems.add("'target.temp-dir' names bucket '" + bucket + "', which is not a bucket name");
      return null;
    }
    return rest;
  }

  /** The REST endpoint in use. */
  public String restEndpoint() {
    return endpoint == null ? DEFAULT_ENDPOINT : endpoint;
  }

  /** "project.dataset", for messages. */
  public String describe() {
    return project + "." + dataset;
  }

  @Override
  public String toString() {
    return "BigQuery dataset " + describe() + " (auth " + auth + ", " + writeMethod + " writes)";
  }
}
