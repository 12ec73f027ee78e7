package io.synclog.sink.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synclog.config.Secret;
import io.synclog.error.SyncLogException;
import io.synclog.log.RunRecord;
import io.synclog.log.SyncRun;
import io.synclog.sink.RunLock;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * synclog's own REST client and the sink's lock protocol against {@link BigQueryStub}, without
 * Spark: the service-account JWT exchange, query jobs with named parameters, result parsing, the
 * claim race, the lost lock, and the retry of a transaction aborted by a concurrent update.
 */
class BigQueryRestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private BigQueryStub stub;

  @BeforeEach
  void start() throws Exception {
    stub = new BigQueryStub();
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private BigQuerySettings oauth() {
    return new BigQuerySettings(
        "stub-proj",
        "bill-proj",
        "sync_audit",
        "oauth",
        null,
        null,
        Secret.of("t0k3n"),
        "indirect",
        "b12/x",
        stub.endpoint());
  }

  private BigQueryLogSink sink() {
    BigQuerySettings s = oauth();
    return new BigQueryLogSink(
        null,
        s,
        BigQuerySqlTest.PHYSICAL,
        true,
        new BqRest(s.restEndpoint(), s.parentProject(), BqAuth.of(s, Map.of())));
  }

  @Test
  void signsAServiceAccountJwtAndUsesTheTokenItGets() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair pair = gen.generateKeyPair();
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Map<String, String> key = new LinkedHashMap<>();
    key.put("type", "service_account");
    key.put("client_email", "synclog@stub-proj.iam.gserviceaccount.com");
    key.put("private_key_id", "kid-1");
    key.put("private_key", pem);
    key.put("token_uri", stub.endpoint() + "/token");
    BigQuerySettings s =
        new BigQuerySettings(
            "stub-proj",
            "stub-proj",
            "sync_audit",
            "service-account",
            null,
            Secret.of(JSON.writeValueAsString(key)),
            null,
            "direct",
            null,
            stub.endpoint());
    BqRest rest = new BqRest(s.restEndpoint(), "stub-proj", BqAuth.of(s, Map.of()));
    stub.answer(sql -> List.of(List.of("1")), sql -> 0L);

    BqRest.Result r = rest.query("SELECT @x AS x", List.of(BqParam.int64("x", 1)));
    rest.query("SELECT 2", List.of());

    assertThat(r.rows()).containsExactly(List.of("1"));
    List<BigQueryStub.Request> tokenCalls =
        stub.requests().stream().filter(q -> q.path().equals("/token")).toList();
    assertThat(tokenCalls).as("the token is cached").hasSize(1);
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair2 : tokenCalls.get(0).body().split("&")) {
      String[] kv = pair2.split("=", 2);
      form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    assertThat(form.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
    String[] jwt = form.get("assertion").split("\\.");
    Signature verify = Signature.getInstance("SHA256withRSA");
    verify.initVerify(pair.getPublic());
    verify.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(verify.verify(Base64.getUrlDecoder().decode(jwt[2]))).as("signature").isTrue();
    JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
    assertThat(header.path("alg").asText()).isEqualTo("RS256");
    assertThat(header.path("kid").asText()).isEqualTo("kid-1");
    assertThat(claims.path("iss").asText()).isEqualTo("synclog@stub-proj.iam.gserviceaccount.com");
    assertThat(claims.path("aud").asText()).isEqualTo(stub.endpoint() + "/token");
    assertThat(claims.path("scope").asText()).isEqualTo(BqAuth.SCOPE);
    assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);

    List<BigQueryStub.Request> jobs =
        stub.requests().stream().filter(q -> q.path().startsWith("/bigquery")).toList();
    assertThat(jobs)
        .allSatisfy(
            q -> assertThat(q.headers()).containsEntry("authorization", "Bearer stub-token"));
    JsonNode query = stub.insertedJobs().get(0).path("configuration").path("query");
    assertThat(query.toString())
        .isEqualTo(
            "{\"query\":\"SELECT @x AS x\",\"useLegacySql\":false,\"parameterMode\":\"NAMED\","
                + "\"queryParameters\":[{\"name\":\"x\",\"parameterType\":{\"type\":\"INT64\"},"
                + "\"parameterValue\":{\"value\":\"1\"}}]}");
    assertThat(stub.insertedJobs().get(0).path("jobReference").path("projectId").asText())
        .isEqualTo("stub-proj");
  }

  @Test
  void claimsTheSyncOrNamesWhoHoldsIt() {
    String micros = Long.toString(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli() * 1000);
    stub.answer(
        sql ->
            sql.startsWith("SELECT sync_id, sync_run_id, phase")
                ? List.of(List.of("s1", "r1", "recording", "0", micros, ""))
                : List.of(),
        sql -> sql.startsWith("INSERT") ? 1L : 0L);
    RunLock lock = sink().acquire(new SyncRun("s1", "r1"), Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(lock)
        .isEqualTo(
            new RunLock(
                new SyncRun("s1", "r1"),
                "recording",
                0,
                Instant.parse("2026-03-01T10:00:00Z"),
                "",
                false));
    List<JsonNode> jobs = stub.insertedJobs();
    assertThat(jobs.get(0).path("configuration").path("query").path("query").asText())
        .isEqualTo(BqSql.claim(new BqNames("stub-proj", "sync_audit", BigQuerySqlTest.PHYSICAL)));
    assertThat(jobs.get(0).path("jobReference").path("projectId").asText()).isEqualTo("bill-proj");

    // held by another run
    assertThatThrownBy(() -> sink().acquire(new SyncRun("s1", "r9"), Instant.now()))
        .isInstanceOf(SyncLogException.class)
        .hasMessageContaining("run 'r1' of the same sync")
        .hasMessageContaining("unlock --sync.id=s1 --run.id=r1");
  }

  @Test
  void twoRunsThatInsertedAtOnceBothStepBack() {
    String micros = "1772359200000000";
    stub.answer(
        sql ->
            sql.startsWith("SELECT sync_id, sync_run_id, phase")
                ? List.of(
                    List.of("s1", "r1", "recording", "0", micros, ""),
                    List.of("s1", "r2", "recording", "0", micros, ""))
                : List.of(),
        sql -> sql.startsWith("INSERT") ? 1L : 0L);
    assertThatThrownBy(() -> sink().acquire(new SyncRun("s1", "r2"), Instant.now()))
        .isInstanceOf(SyncLogException.class)
        .extracting(e -> ((SyncLogException) e).code())
        .isEqualTo("RUN_CONCURRENT");
    List<String> queries = stub.queries();
    assertThat(queries).hasSize(3);
    assertThat(queries.get(2))
        .contains(
            "DELETE FROM `stub-proj.sync_audit._synclog_locks` WHERE sync_id = @sync_id AND sync_run_id = @run_id")
        .doesNotContain("sync_plans");
    JsonNode params =
        stub.insertedJobs().get(2).path("configuration").path("query").path("queryParameters");
    assertThat(params.toString()).contains("\"value\":\"r2\"");
  }

  @Test
  void readsARecordedRun() {
    List<String> row = new ArrayList<>();
    row.addAll(List.of("s1", "r1", "id", "Salesforce", "model", "m1", "succeeded"));
    row.add(null);
    row.add("1772359200000000");
    row.add("1772359260000000");
    // planned, attempted, succeeded, failed for add, change, remove
    row.addAll(List.of("3", "1", "0", "3", "1", "0", "2", "1", "0", "1", "0", "0"));
    row.addAll(List.of("0", "0", "id:string", "1772359290000000"));
    stub.answer(
        sql -> sql.contains("FROM `stub-proj.sync_audit.sync_runs`") ? List.of(row) : List.of(),
        sql -> 0L);
    RunRecord run = sink().recordedRun(new SyncRun("s1", "r1")).orElseThrow();
    assertThat(run.error()).isNull();
    assertThat(run.startedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(run.counts().of("added").succeeded()).isEqualTo(2);
    assertThat(run.counts().of("added").failed()).isEqualTo(1);
    assertThat(run.counts().of("changed").succeeded()).isEqualTo(1);
    assertThat(run.modelSchema()).isEqualTo("id:string");
    JsonNode job = stub.insertedJobs().get(0).path("configuration").path("query");
    assertThat(job.path("queryParameters").toString())
        .isEqualTo(
            "[{\"name\":\"sync_id\",\"parameterType\":{\"type\":\"STRING\"},\"parameterValue\":{\"value\":\"s1\"}},"
                + "{\"name\":\"run_id\",\"parameterType\":{\"type\":\"STRING\"},\"parameterValue\":{\"value\":\"r1\"}}]");
  }

  @Test
  void aLostLockFailsTheCommitAndAConflictIsRetried() throws Exception {
    BigQueryLogSink sink = sink();
    List<BqParam> ids = BigQueryLogSink.ids(new SyncRun("s1", "r1"));
    stub.failNextQueries("Query error: " + BqSql.LOCK_LOST + " at [3:3]");
    assertThatThrownBy(() -> sink.run("SCRIPT", ids))
        .isInstanceOf(SyncLogException.class)
        .extracting(e -> ((SyncLogException) e).code())
        .isEqualTo("LOCK_LOST");

    stub.failNextQueries(
        "Transaction is aborted due to concurrent update against table stub-proj:sync_audit.sync_snapshot");
    int before = stub.queries().size();
    sink.run("SCRIPT", ids);
    assertThat(stub.queries().subList(before, stub.queries().size()))
        .containsExactly("SCRIPT", "SCRIPT");

    stub.failNextQueries("Syntax error: Unexpected end of script");
    assertThatThrownBy(() -> sink.run("SCRIPT", ids))
        .isInstanceOf(BqRest.Failure.class)
        .hasMessage("Syntax error: Unexpected end of script");
  }
}
