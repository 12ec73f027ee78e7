package io.synclog.views;

import static io.synclog.testing.Rows.row;
import static io.synclog.testing.SyncHarness.list;

import io.synclog.config.ConfigSources;
import io.synclog.config.SyncConfig;
import io.synclog.sink.FaultHook;
import io.synclog.testing.SyncHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;

/**
 * Tables written by real synclog runs, built once per test JVM and shared (read-only) by the views,
 * notebooks and report tests. Sync {@value #CRM} runs five times over customers 1..12:
 *
 * <ul>
 *   <li>run-1: adds 1..10; 3 and 4 fail INVALID_EMAIL, 5 fails ENTITY_IS_LOCKED.
 *   <li>run-2: adds 11; retries 3 (fails again), 4 (succeeds), 5 (fails again); changes 7.
 *   <li>run-3: removes 2; adds 12 (fails, a reason no rule knows); retries 3 (fails) and 5
 *       (succeeds); changes 7.
 *   <li>run-4: adds 2 back; removes 8 (fails, rate limit); retries 3 (fails) and 12 (no status:
 *       aborted); changes 7.
 *   <li>run-5: retries 3 (fails), 8's removal and 12 (both succeed); changes 7 (succeeds), 6
 *       (fails, locked) and 9's email (fails, invalid).
 * </ul>
 *
 * <p>Row 7 changes in every run, so it flaps most. Sync {@value #ADS} runs once over rows 1, 2, 50,
 * so row 1 is a current member of two models.
 */
public final class AuditScenario {
  public static final String CRM = "crm-contacts";
  public static final String ADS = "ads-audience";
  public static final String INVALID = "INVALID_EMAIL: email address is not valid";
  public static final String LOCKED =
      "ENTITY_IS_LOCKED: unable to obtain exclusive access to this record";
  public static final String RATE = "REQUEST_LIMIT_EXCEEDED: rate limit exceeded, retry later";
  public static final String ODD = "Destination answered HTTP 500 with an empty body";

  private static AuditScenario instance;

  private final Path dir;

  private AuditScenario(Path dir) {
    this.dir = dir;
  }

  public static synchronized AuditScenario get() {
    if (instance == null) {
      try {
        Path dir = Files.createTempDirectory("synclog-audit-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        instance = new AuditScenario(dir);
        instance.write();
      } catch (IOException e) {
        throw new IllegalStateException("Cannot create the scenario's folder", e);
      }
    }
    return instance;
  }

  /** The folder of this scenario: the tables are under warehouse/sync_audit/. */
  public Path dir() {
    return dir;
  }

  /** target.location of the tables. */
  public String location() {
    return dir.resolve("warehouse").toString();
  }

  /** The path of one of the three tables (sync_changelog, sync_snapshot, sync_runs). */
  public String table(String name) {
    return dir.resolve("warehouse/sync_audit/" + name).toString();
  }

  /** A target-only config for the tables, with extra settings. */
  public SyncConfig config(Map<String, String> extra) {
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    settings.put("target.location", location());
    settings.putAll(extra);
    return SyncConfig.resolve(ConfigSources.ofCommandLine(settings), SyncConfig.Need.TARGET);
  }

  private void write() {
    SyncHarness crm = new SyncHarness(dir, CRM);
    run(
        crm,
        1,
        customers(1, 10, Map.of(7, "p1")),
        failed(3, INVALID, 4, INVALID, 5, LOCKED),
        ok(1, 2, 6, 7, 8, 9, 10));
    run(crm, 2, customers(1, 11, Map.of(7, "p2")), failed(3, INVALID, 5, LOCKED), ok(4, 7, 11));
    List<Row> run3 = customers(1, 12, Map.of(7, "p3"));
    run3.removeIf(r -> r.getLong(0) == 2L);
    run(crm, 3, run3, failed(3, INVALID, 12, ODD), ok(2, 5, 7));
    List<Row> run4 = customers(1, 12, Map.of(7, "p4"));
    run4.removeIf(r -> r.getLong(0) == 8L);
    run(crm, 4, run4, failed(3, INVALID, 8, RATE), ok(2, 7));
    List<Row> run5 = customers(1, 12, Map.of(7, "p5", 6, "pro"));
    run5.removeIf(r -> r.getLong(0) == 8L);
    run5.replaceAll(r -> r.getLong(0) == 9L ? row(9L, "not-an-email", "free") : r);
    run(crm, 5, run5, failed(3, INVALID, 6, LOCKED, 9, INVALID), ok(7, 8, 12));

    SyncHarness ads = new SyncHarness(dir, ADS);
    List<Row> adsModel = list(row(1L, "u1@example.com", "free"), row(2L, "u2@example.com", "free"));
    adsModel.add(row(50L, "u50@example.com", "free"));
    run(ads, 1, adsModel, List.of(), ok(1, 2, 50));
  }

  private static void run(
      SyncHarness harness, int n, List<Row> model, List<Row> failed, List<Row> succeeded) {
    String runId = "run-" + n;
    List<Row> statuses = new ArrayList<>(failed);
    statuses.addAll(succeeded);
    harness.model(runId, model);
    harness.statuses(runId, statuses);
    String day = String.format("2026-01-%02d", n);
    harness.record(
        runId,
        Map.of(
            "run.started-at", day + "T10:00:00Z",
            "run.finished-at", day + "T10:05:00Z"),
        FaultHook.NONE);
  }

  private static List<Row> customers(int from, int to, Map<Integer, String> plans) {
    List<Row> rows = new ArrayList<>();
    for (int id = from; id <= to; id++) {
      rows.add(row((long) id, "u" + id + "@example.com", plans.getOrDefault(id, "free")));
    }
    return rows;
  }

  /** Failed statuses: id, reason, id, reason, ... */
  static List<Row> failed(Object... idsAndReasons) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < idsAndReasons.length; i += 2) {
      rows.add(row(String.valueOf(idsAndReasons[i]), "failed", idsAndReasons[i + 1]));
    }
    return rows;
  }

  /** Succeeded statuses. */
  static List<Row> ok(int... ids) {
    List<Row> rows = new ArrayList<>();
    for (int id : ids) {
      rows.add(row(String.valueOf(id), "succeeded", null));
    }
    return rows;
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp folder left behind is harmless.
    }
  }
}
