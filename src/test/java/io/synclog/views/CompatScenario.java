package io.synclog.views;

import static io.synclog.testing.Rows.row;
import static io.synclog.views.AuditScenario.failed;
import static io.synclog.views.AuditScenario.ok;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.sink.FaultHook;
import io.synclog.sink.PruneScope;
import io.synclog.sink.References;
import io.synclog.sink.SinkHarness;
import io.synclog.sink.SinkTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Tables written by real runs of three syncs into one namespace of a {@link SinkTarget}, for the
 * Hightouch compatibility views; written once per target kind and test JVM. Two syncs send the same
 * model, {@code customers}, to two destinations; the third sends {@code audience}:
 *
 * <ul>
 *   <li>{@value #CRM} (customers, Salesforce), day 1: adds 1..6, 3 fails INVALID_EMAIL. Day 2: 2
 *       changes, 3 is retried (fails again), 6 leaves the model (removed), 7 is added (fails,
 *       ENTITY_IS_LOCKED). Day 3: 3 is retried (fails again), 4 changes (fails, locked), 7 is
 *       retried (succeeds), 8 is added (fails, invalid email).
 *   <li>{@value #BRAZE} (customers, Braze), day 2: adds 1, 2, 3 and 7; 7 fails INVALID_EMAIL.
 *   <li>{@value #ADS} (audience, Google Ads), day 3: adds 1, 9 and 10; 9 fails locked, 10 fails
 *       REQUEST_LIMIT_EXCEEDED.
 * </ul>
 *
 * <p>Then everything older than day 2 is pruned: the changelog of day 1 and {@value #CRM}'s first
 * run. The reference's second example joins the changelog to the runs on {@code sync_id} alone, so
 * each changelog row meets every run of its sync, and rows of one row_id with different op_types
 * would tie on {@code started_at} and make {@code lag} undefined. After the prune, every row's
 * remaining changelog entries (changed ones aside) have one op_type: 6 shows only its removal.
 */
public final class CompatScenario {
  public static final String CRM = "crm";
  public static final String BRAZE = "braze";
  public static final String ADS = "ads";
  public static final String INVALID = "INVALID_EMAIL: email address is not valid";
  public static final String LOCKED =
      "ENTITY_IS_LOCKED: unable to obtain exclusive access to this record";
  public static final String RATE = "REQUEST_LIMIT_EXCEEDED: rate limit exceeded, retry later";

  /** The prune's cutoff: the start of day 2. */
  public static final Instant CUTOFF = Instant.parse("2026-05-02T00:00:00Z");

  private static final Map<String, String> WRITTEN = new HashMap<>();

  private CompatScenario() {}

  /** The namespace of the target holding the scenario, written on first use. */
  public static synchronized String namespace(SinkTarget target) {
    return WRITTEN.computeIfAbsent(target.kind(), kind -> write(target));
  }

  /** A target-only configuration of the namespace, with extra settings. */
  public static SyncConfig config(SinkTarget target, String namespace, Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(target.settings(namespace));
    settings.putAll(extra);
    return SyncConfig.resolve(
        new ConfigSources(Map.of(), target.secrets(), Map.of(), settings), SyncConfig.Need.TARGET);
  }

  private static String write(SinkTarget target) {
    String ns = References.namespace("compat");
    SinkHarness crm = harness(target, ns, CRM, "customers", "Salesforce");
    run(crm, 1, customers(Map.of(), 1, 2, 3, 4, 5, 6), failed(3, INVALID), ok(1, 2, 4, 5, 6));
    run(
        crm,
        2,
        customers(Map.of(2L, "pro"), 1, 2, 3, 4, 5, 7),
        failed(3, INVALID, 7, LOCKED),
        ok(2, 6));
    run(
        crm,
        3,
        customers(Map.of(2L, "pro", 4L, "pro"), 1, 2, 3, 4, 5, 7, 8),
        failed(3, INVALID, 4, LOCKED, 8, INVALID),
        ok(7));
    SinkHarness braze = harness(target, ns, BRAZE, "customers", "Braze");
    run(braze, 2, customers(Map.of(), 1, 2, 3, 7), failed(7, INVALID), ok(1, 2, 3));
    SinkHarness ads = harness(target, ns, ADS, "audience", "Google Ads");
    run(ads, 3, customers(Map.of(), 1, 9, 10), failed(9, LOCKED, 10, RATE), ok(1));
    crm.sink().prune(CUTOFF, PruneScope.ALL_SYNCS);
    return ns;
  }

  private static SinkHarness harness(
      SinkTarget target, String ns, String syncId, String model, String destination) {
    return new SinkHarness(References.dir(), target, ns, syncId)
        .set("model.name", model)
        .set("model.id", "m-" + model)
        .set("sync.destination", destination);
  }

  private static void run(
      SinkHarness h, int day, List<Row> model, List<Row> failed, List<Row> succeeded) {
    String runId = "r" + day;
    List<Row> statuses = new ArrayList<>(failed);
    statuses.addAll(succeeded);
    h.model(runId, model);
    h.statuses(runId, statuses);
    h.record(
        runId,
        Map.of(
            "run.started-at", "2026-05-0" + day + "T10:00:00Z",
            "run.finished-at", "2026-05-0" + day + "T10:05:00Z"),
        FaultHook.NONE);
  }

  private static List<Row> customers(Map<Long, String> plans, long... ids) {
    List<Row> rows = new ArrayList<>();
    for (long id : ids) {
      rows.add(row(id, "u" + id + "@example.com", plans.getOrDefault(id, "free")));
    }
    return rows;
  }
}
