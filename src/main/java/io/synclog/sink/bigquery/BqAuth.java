package io.synclog.sink.bigquery;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Access tokens for synclog's own BigQuery jobs, from the same credentials the connector uses: a
 * given token (oauth), a service-account key (a JWT signed with the key, exchanged at the key's
 * {@code token_uri}), or application default credentials (the key file or user credentials named by
 * GOOGLE_APPLICATION_CREDENTIALS, else the metadata server of the VM the job runs on). Tokens are
 * cached until a minute before they expire. Nothing here logs or prints a credential.
 */
final class BqAuth {
  static final String SCOPE = "https://www.googleapis.com/auth/bigquery";
  static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
  static final String METADATA_TOKEN_URI =
      "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A given token is used as is; its owner refreshes it between runs. */
  private static final long GIVEN_TOKEN_SECONDS = 365L * 24 * 3600;

  private final Source source;
  private final HttpClient http;
  private String token;
  private Instant expires = Instant.MIN;

  private interface Source {
    /** A token and its lifetime in seconds. */
    Map.Entry<String, Long> fetch(HttpClient http) throws IOException, InterruptedException;
  }

  private BqAuth(Source source) {
    this.source = source;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
  }

  static BqAuth of(BigQuerySettings s, Map<String, String> env) {
    return switch (s.auth()) {
      case "oauth" -> new BqAuth(h -> Map.entry(s.token().reveal(), GIVEN_TOKEN_SECONDS));
      case "service-account" ->
          new BqAuth(
              serviceAccount(
                  s.credentials() != null
                      ? s.credentials()
                      : Secret.of(read(Path.of(s.credentialsFile())))));
      default -> new BqAuth(applicationDefault(env));
    };
  }

  /** A bearer token for the Authorization header. */
  synchronized String accessToken() {
    if (token == null || Instant.now().isAfter(expires)) {
      try {
        Map.Entry<String, Long> t = source.fetch(http);
        token = t.getKey();
        expires = Instant.now().plusSeconds(Math.max(0, t.getValue() - 60));
      } catch (IOException e) {
        throw new IllegalStateException("Cannot get a BigQuery access token: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while getting a BigQuery access token");
      }
    }
    return token;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read credentials file " + file);
    }
  }

  private static Source serviceAccount(Secret keyJson) {
    return http -> {
      JsonNode key = parse(keyJson.reveal(), "the service-account key");
      String tokenUri = key.path("token_uri").asText(GOOGLE_TOKEN_URI);
      String assertion = jwt(key, tokenUri, Instant.now());
      return exchange(
          http,
          tokenUri,
          "grant_type="
              + enc("urn:ietf:params:oauth:grant-type:jwt-bearer")
              + "&assertion="
              + enc(assertion));
    };
  }

  private static Source applicationDefault(Map<String, String> env) {
    return http -> {
      String file = env.get("GOOGLE_APPLICATION_CREDENTIALS");
      if (file == null) {
        Path gcloud =
            Path.of(
                env.getOrDefault("HOME", "."),
                ".config/gcloud/application_default_credentials.json");
        file = Files.isReadable(gcloud) ? gcloud.toString() : null;
      }
      if (file == null) {
        return metadataServer(http);
      }
      String text = read(Path.of(file));
      JsonNode node = parse(text, "GOOGLE_APPLICATION_CREDENTIALS");
      if ("authorized_user".equals(node.path("type").asText())) {
        return exchange(
            http,
            node.path("token_uri").asText(GOOGLE_TOKEN_URI),
            "grant_type=refresh_token&client_id="
                + enc(node.path("client_id").asText())
                + "&client_secret="
                + enc(node.path("client_secret").asText())
                + "&refresh_token="
                + enc(node.path("refresh_token").asText()));
      }
      return serviceAccount(Secret.of(text)).fetch(http);
    };
  }

  private static Map.Entry<String, Long> metadataServer(HttpClient http)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(METADATA_TOKEN_URI))
            .header("Metadata-Flavor", "Google")
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    try {
      return token(http.send(request, HttpResponse.BodyHandlers.ofString()), "metadata server");
    } catch (IOException e) {
      throw new IOException(
          "no GOOGLE_APPLICATION_CREDENTIALS and no metadata server ("
              + e.getClass().getSimpleName()
              + "); set target.auth=service-account or oauth outside Google Cloud");
    }
  }

  private static Map.Entry<String, Long> exchange(HttpClient http, String uri, String form)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(uri))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    return token(http.send(request, HttpResponse.BodyHandlers.ofString()), uri);
  }

  private static Map.Entry<String, Long> token(HttpResponse<String> response, String from)
      throws IOException {
    if (response.statusCode() != 200) {
      // the body of an error names the problem (invalid_grant, ...) and holds no secret
      JsonNode error = parseQuietly(response.body());
      throw new IOException(
          "token endpoint "
              + from
              + " answered HTTP "
              + response.statusCode()
              + (error == null ? "" : " " + error.path("error").asText(""))
              + (error == null ? "" : " " + error.path("error_description").asText("")));
    }
    JsonNode body = parse(response.body(), "the token response");
    String accessToken = body.path("access_token").asText(null);
    if (accessToken == null) {
      throw new IOException("token endpoint " + from + " returned no access_token");
    }
    return Map.entry(accessToken, body.path("expires_in").asLong(3600));
  }

  /** A signed RS256 JWT asserting the service account, for the token endpoint. */
  static String jwt(JsonNode key, String audience, Instant now) throws IOException {
    Map<String, Object> header =
        key.hasNonNull("private_key_id")
            ? Map.of("alg", "RS256", "typ", "JWT", "kid", key.get("private_key_id").asText())
            : Map.of("alg", "RS256", "typ", "JWT");
    Map<String, Object> claims =
        Map.of(
            "iss",
            key.path("client_email").asText(),
            "scope",
            SCOPE,
            "aud",
            audience,
            "iat",
            now.getEpochSecond(),
            "exp",
            now.getEpochSecond() + 3600);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        b64.encodeToString(JSON.writeValueAsBytes(header))
            + "."
            + b64.encodeToString(JSON.writeValueAsBytes(claims));
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(privateKey(key.path("private_key").asText()));
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64.encodeToString(rsa.sign());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(
          "the service-account key's private_key is not a PKCS#8 RSA key ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    String body =
        pem.replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
  }

  private static JsonNode parse(String text, String what) throws IOException {
    JsonNode node = parseQuietly(text);
    if (node == null || !node.isObject()) {
      // never echo the text: it may be a key
      throw new IOException(what + " is not a JSON object");
    }
    return node;
  }

  private static JsonNode parseQuietly(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "BigQuery credentials (****)";
  }
}
